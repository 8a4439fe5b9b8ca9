import { createCipheriv, createHash, randomBytes } from 'crypto';

/**
 * Minimal 7z writer: one file, stored (no compression) inside a 7zAES folder, like the quarantine archives
 * Falcon returns for RTR `get` (password "infected"). Headers stay unencrypted so `7z l` works without a password.
 */

const SIGNATURE = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]);
const AES_CODER_ID = Buffer.from([0x06, 0xf1, 0x07, 0x01]);
const CYCLES_POWER = 19;

const enum Id {
	End = 0x00,
	Header = 0x01,
	MainStreamsInfo = 0x04,
	FilesInfo = 0x05,
	PackInfo = 0x06,
	UnpackInfo = 0x07,
	SubStreamsInfo = 0x08,
	Size = 0x09,
	Crc = 0x0a,
	Folder = 0x0b,
	CodersUnpackSize = 0x0c,
	Name = 0x11,
	MTime = 0x14,
	Attributes = 0x15,
}

let crcTable: Uint32Array | undefined;

export function crc32(data: Buffer): number {
	if (!crcTable) {
		crcTable = new Uint32Array(256);
		for (let n = 0; n < 256; n++) {
			let c = n;
			for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
			crcTable[n] = c >>> 0;
		}
	}
	let crc = 0xffffffff;
	for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

/** 7z variable-length NUMBER: leading 1-bits of the first byte count the extra little-endian bytes. */
function number(value: number): Buffer {
	for (let extra = 0; extra < 8; extra++) {
		if (value < 2 ** (7 * (extra + 1))) {
			const out = Buffer.alloc(extra + 1);
			const high = Math.floor(value / 2 ** (8 * extra));
			out[0] = ((0xff00 >> extra) & 0xff) | high;
			for (let i = 0; i < extra; i++) out[i + 1] = Math.floor(value / 2 ** (8 * i)) & 0xff;
			return out;
		}
	}
	const out = Buffer.alloc(9);
	out[0] = 0xff;
	out.writeBigUInt64LE(BigInt(value), 1);
	return out;
}

function uint32(value: number): Buffer {
	const out = Buffer.alloc(4);
	out.writeUInt32LE(value >>> 0);
	return out;
}

function uint64(value: bigint): Buffer {
	const out = Buffer.alloc(8);
	out.writeBigUInt64LE(value);
	return out;
}

const keyCache = new Map<string, Buffer>();

/** 7zAES key: SHA-256 over 2^19 rounds of (salt + UTF-16LE password + 64-bit LE round counter). */
export function deriveKey(password: string, salt: Buffer = Buffer.alloc(0), cyclesPower = CYCLES_POWER): Buffer {
	const cacheKey = `${password}\u0000${salt.toString('hex')}\u0000${cyclesPower}`;
	const cached = keyCache.get(cacheKey);
	if (cached) return cached;
	const pass = Buffer.from(password, 'utf16le');
	const roundSize = salt.length + pass.length + 8;
	const rounds = 2 ** cyclesPower;
	// One buffer with every round laid out is far faster than 2^19 small hash.update calls.
	const all = Buffer.alloc(roundSize * rounds);
	for (let round = 0; round < rounds; round++) {
		const at = round * roundSize;
		salt.copy(all, at);
		pass.copy(all, at + salt.length);
		all.writeUInt32LE(round >>> 0, at + salt.length + pass.length);
		all.writeUInt32LE(Math.floor(round / 2 ** 32), at + salt.length + pass.length + 4);
	}
	const key = createHash('sha256').update(all).digest();
	keyCache.set(cacheKey, key);
	return key;
}

export interface SevenZipEntry {
	name: string;
	data: Buffer;
	modified?: Date;
}

export function createEncrypted7z(entry: SevenZipEntry, password = 'infected', iv: Buffer = randomBytes(16)): Buffer {
	const key = deriveKey(password);
	const padded = Buffer.alloc(Math.ceil(Math.max(entry.data.length, 1) / 16) * 16);
	entry.data.copy(padded);
	const cipher = createCipheriv('aes-256-cbc', key, iv);
	cipher.setAutoPadding(false);
	const packed = Buffer.concat([cipher.update(padded), cipher.final()]);

	// Coder properties: NumCyclesPower with the "IV present" bit, then (saltSize-1)<<4 | (ivSize-1), then the IV.
	const aesProps = Buffer.concat([Buffer.from([CYCLES_POWER | 0x40, 0x0f]), iv]);
	const folder = Buffer.concat([
		number(1), // coders
		Buffer.from([0x20 | AES_CODER_ID.length]), // simple coder (1 in, 1 out) with properties
		AES_CODER_ID,
		number(aesProps.length),
		aesProps,
	]);
	const fileCrc = crc32(entry.data);
	const name = Buffer.concat([Buffer.from(entry.name, 'utf16le'), Buffer.alloc(2)]);
	const filetime = BigInt((entry.modified ?? new Date()).getTime()) * BigInt(10000) + BigInt("116444736000000000");
	const mtime = Buffer.concat([Buffer.from([1, 0]), uint64(filetime)]);
	const attributes = Buffer.concat([Buffer.from([1, 0]), uint32(0x20)]);

	const header = Buffer.concat([
		Buffer.from([Id.Header, Id.MainStreamsInfo, Id.PackInfo]),
		number(0), // pack position
		number(1), // pack streams
		Buffer.from([Id.Size]),
		number(packed.length),
		Buffer.from([Id.End, Id.UnpackInfo, Id.Folder]),
		number(1), // folders
		Buffer.from([0]), // not external
		folder,
		Buffer.from([Id.CodersUnpackSize]),
		number(entry.data.length),
		Buffer.from([Id.End, Id.SubStreamsInfo, Id.Crc, 1]),
		uint32(fileCrc),
		Buffer.from([Id.End, Id.End, Id.FilesInfo]),
		number(1), // files
		Buffer.from([Id.Name]),
		number(name.length + 1),
		Buffer.from([0]),
		name,
		Buffer.from([Id.MTime]),
		number(mtime.length),
		mtime,
		Buffer.from([Id.Attributes]),
		number(attributes.length),
		attributes,
		Buffer.from([Id.End, Id.End]),
	]);

	const startHeader = Buffer.concat([uint64(BigInt(packed.length)), uint64(BigInt(header.length)), uint32(crc32(header))]);
	return Buffer.concat([SIGNATURE, uint32(crc32(startHeader)), startHeader, packed, header]);
}
