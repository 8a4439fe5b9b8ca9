import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { HOST_CHANGES } from '../../shared/engine/aiAgent';
import type { FalconOperation, ParameterMapping } from '../../shared/engine/types';
import { baseCommandOptions, baseCommandProblem, changesHost, commandLineProblem, isTier, TIER_LABEL, type Tier } from './commands';

export function baseCommandField(tier: Tier, show?: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Base Command',
		name: 'baseCommand',
		type: 'options',
		options: baseCommandOptions(tier),
		default: 'ls',
		description: 'The command verb; Falcon checks the tier and permissions against it',
		...(show ? { displayOptions: { show } } : {}),
	};
}

export const commandLineField: INodeProperties = {
	displayName: 'Command Line',
	name: 'commandLine',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. ls C:\\Windows\\Temp',
	description: 'The whole command as typed in the Falcon console, starting with the base command',
};

/** Base command (from the tier's list) and the full command line the user types. */
export function commandFields(tier: Tier): INodeProperties[] {
	return [baseCommandField(tier), commandLineField];
}

/** A tier field for operations that can run either tier, with a base command list for each. */
export const tierFields: INodeProperties[] = [
	{
		displayName: 'Command Tier',
		name: 'commandTier',
		type: 'options',
		options: [
			{
				name: TIER_LABEL.readOnly,
				value: 'readOnly',
				description: 'Look only: ls, ps, netstat, reg query …',
			},
			{
				name: TIER_LABEL.activeResponder,
				value: 'activeResponder',
				description: 'Also change the host: kill, rm, get, runscript …',
			},
		],
		default: 'readOnly',
	},
	baseCommandField('readOnly', { commandTier: ['readOnly'] }),
	baseCommandField('activeResponder', { commandTier: ['activeResponder'] }),
	commandLineField,
];

const normaliseBase = (value: unknown) => String(value ?? '').trim().toLowerCase().replace(/\s+/g, ' ');

/** Mappings of base command and command line; with a fixed tier, the base command is checked against it. */
export function commandMappings(tier?: Tier): Record<string, ParameterMapping> {
	return {
		baseCommand: {
			to: 'body',
			as: 'base_command',
			rules: tier ? [(value) => baseCommandProblem(tier, value)] : [],
			transform: normaliseBase,
		},
		commandLine: { to: 'body', as: 'command_string', transform: (value) => String(value ?? '').trim() },
	};
}

/** The command line checked against its base command, and for tier fields the base command against the tier. */
export function commandProblem(values: IDataObject): string | undefined {
	if (values.commandTier !== undefined) {
		if (!isTier(values.commandTier)) return `"Command Tier" must be readOnly or activeResponder (got ${JSON.stringify(values.commandTier)})`;
		const problem = baseCommandProblem(values.commandTier, values.baseCommand);
		if (problem) return `"Base Command": ${problem}`;
	}
	return commandLineProblem(values.baseCommand, values.commandLine);
}

export function tierOf(values: IDataObject): Tier {
	return values.commandTier === 'activeResponder' ? 'activeResponder' : 'readOnly';
}

/** The item's Command Tier, read as tierOf reads it. */
export function itemTier(context: IExecuteFunctions, itemIndex: number): Tier {
	return tierOf({ commandTier: context.getNodeParameter('commandTier', itemIndex, 'readOnly') });
}

/**
 * The AI-agent opt-in of a command operation: needed for an item whose command changes the host (see changesHost).
 * `tier` is the operation's own; without it, the item's Command Tier.
 */
export function hostChangingCommand(tier?: Tier): FalconOperation['needsAgentPermission'] {
	return {
		permission: HOST_CHANGES,
		when(itemIndex) {
			return changesHost(tier ?? itemTier(this, itemIndex), this.getNodeParameter('commandLine', itemIndex, ''));
		},
	};
}
