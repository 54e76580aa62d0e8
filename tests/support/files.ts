// Small files tests upload: a PNG that passes the proof check by its first bytes.
import { randomBytes } from 'node:crypto';

export const PNG_BYTES = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
