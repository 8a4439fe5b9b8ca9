/** The credential every Falcon node authenticates with (not n8n's built-in `crowdStrikeOAuth2Api`). */
export const CREDENTIAL_TYPE = 'crowdStrikeFalconOAuth2Api';
