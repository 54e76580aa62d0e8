// Column helpers shared by the schema's files.
import { bigint, timestamp } from 'drizzle-orm/pg-core';

export const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
	timestamp({ withTimezone: true })
		.notNull()
		.defaultNow()
		.$onUpdate(() => new Date());
/** Integer rupiah, read as JS numbers: every amount MinisPod handles is far below 2^53. */
export const money = () => bigint({ mode: 'number' });
