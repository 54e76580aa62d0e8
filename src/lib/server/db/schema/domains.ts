// Custom domains: hostnames a customer points at one of their apps. A hostname is claimed
// by at most one live domain (any status but FAILED); removing a domain deletes its row once
// the cluster has let go of it.
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
// Relative, not $lib: drizzle-kit loads the schema without the app's aliases.
import { CUSTOM_DOMAIN_STATUSES } from '../../../statuses';
import { createdAt, updatedAt } from './columns';
import { users } from './accounts';
import { serviceInstances } from './instances';
import type { DomainReason } from '../../domains/reasons';

export const customDomainStatusEnum = pgEnum('custom_domain_status', CUSTOM_DOMAIN_STATUSES);

export const customDomains = pgTable(
	'custom_domains',
	{
		id: uuid().primaryKey().defaultRandom(),
		instanceId: uuid()
			.notNull()
			.references(() => serviceInstances.id, { onDelete: 'cascade' }),
		/** Denormalised owner, so ownership checks need no join. */
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** Lower case, no trailing dot. */
		hostname: text().notNull(),
		status: customDomainStatusEnum().notNull().default('PENDING_DNS'),
		/** Why it failed, or what the last DNS check found wrong, in English. */
		statusReason: text(),
		/** The same reason as a message key and parameters, read in each viewer's language (null on older rows). */
		statusReasonText: jsonb().$type<DomainReason>(),
		/** The value of the `_minispod-challenge.<hostname>` TXT record that proves ownership. */
		verificationToken: text().notNull(),
		checkAttempts: integer().notNull().default(0),
		lastCheckedAt: timestamp({ withTimezone: true }),
		verifiedAt: timestamp({ withTimezone: true }),
		activeAt: timestamp({ withTimezone: true }),
		/** When the DNS check gives up (72 hours after the domain was added). */
		checkUntil: timestamp({ withTimezone: true }).notNull(),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		uniqueIndex('custom_domains_live_hostname_unique')
			.on(t.hostname)
			.where(sql`${t.status} <> 'FAILED'`),
		index('custom_domains_instance_idx').on(t.instanceId),
		check('custom_domains_hostname_lower', sql`${t.hostname} = lower(${t.hostname})`)
	]
);
