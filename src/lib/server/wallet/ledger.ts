// The one function that changes a balance. It runs inside the caller's DB transaction, so
// a balance moves if and only if the business change it pays for commits, and its UNIQUE
// idempotency key makes a retried or duplicated change a no-op. It takes one change, or a
// batch of them (the renewal sweep charges hundreds in one transaction): a batch moves each
// customer's balance with one guarded statement and writes its ledger rows as one chain.
// For a caller with no transaction of its own, one change can bring what it pays for: the
// change and those writes in one statement, which is a transaction by itself.
import { randomUUID } from 'node:crypto';
import { eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { AppError, badRequest, insufficientCredit, notFound } from '../errors';
import { inTransaction, type Db, type DbOrTx, type Tx } from '../db/client';
import {
	executePrepared,
	executeShaped,
	inOneStatement,
	partsSql,
	renderedOnce,
	type StatementPart,
	type StatementRows,
	type StatementValues
} from '../db/statement';
import { transactions, users, type PaymentMethod, type Transaction, type TransactionType } from '../db/schema';
import type { LedgerText } from './ledger-texts';
import { formatRupiah } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';

export type BalanceChange = {
	userId: string;
	type: TransactionType;
	/** Signed rupiah: positive credits the wallet, negative debits it. */
	amount: number;
	/** Unique per intended change: the same key never moves money twice. */
	idempotencyKey: string;
	description: string;
	/** The description in both languages (the English `description` stays for old readers). */
	text?: LedgerText;
	/**
	 * When the change completes, from the runtime's clock (the billing clock): receipts are
	 * numbered per WIB year of it, so the test clock moves them across a year too.
	 */
	at: Date;
	paymentMethod?: PaymentMethod;
	paymentReference?: string;
	subscriptionId?: string;
	metadata?: Record<string, unknown>;
	processedBy?: string;
	adminNotes?: string;
	/** Complete this PENDING transaction (a top-up) instead of inserting a new row. */
	pendingTransactionId?: string;
	/** A credit that would take the balance above this is refused (BAD_REQUEST on `amount`). */
	maxBalance?: number;
};

export type BalanceChangeResult = {
	transaction: Transaction;
	/** False when the change had already happened (idempotent replay). */
	applied: boolean;
};

/** How a change of this type moves the lifetime totals. */
export function lifetimeDeltas(type: TransactionType, amount: number) {
	return {
		topUp: type === 'TOP_UP' ? amount : 0,
		// Net spend: charges add, refunds of charges take back.
		spent: type === 'SUBSCRIPTION' || type === 'UPGRADE' || type === 'REFUND' ? -amount : 0
	};
}

/**
 * Applies one balance change, or a batch of them in order. Changes to one balance are
 * serialised by the customer's row lock, which the guarded UPDATE of the balance takes (no
 * lock of its own before it), and a replayed key (already in the ledger) is seen for what it
 * is: it changes nothing and comes back with `applied: false`. A change that would take a
 * balance below zero is refused with INSUFFICIENT_CREDIT (and the caller's transaction rolls
 * back); each ledger row records the balance before and after it, and all rows of a batch
 * are written with the balances in one statement.
 *
 * One change with `paysFor`, for a caller with no transaction of its own: the writes the
 * change pays for (parts of one statement, db/statement.ts, given the id of the change's
 * ledger row) are committed with it or not at all. With nothing in the way, the whole change
 * is one statement outside any transaction: one round trip where BEGIN, the ledger, the parts
 * and COMMIT took four. PostgreSQL runs a single statement atomically, as its own transaction
 * (https://www.postgresql.org/docs/current/tutorial-transactions.html), and the guarded
 * UPDATE's row lock orders it against every other change to the customer, as in a
 * transaction. When the change does not go through as it is (a replayed key, a short
 * balance, a cap, an unknown customer, a key written meanwhile), the statement refuses
 * itself (minispod_refuse_statement), which undoes all it wrote, parts included; the change
 * is then made in a transaction on the locked path, which says why, and a replay writes no
 * parts. `db` is then the database, never a transaction, which a refused statement would abort.
 */
export async function applyBalanceChange(db: DbOrTx, change: BalanceChange): Promise<BalanceChangeResult>;
export async function applyBalanceChange(db: DbOrTx, changes: BalanceChange[]): Promise<BalanceChangeResult[]>;
export async function applyBalanceChange(
	db: Db,
	change: BalanceChange,
	paysFor: (transactionId: string) => StatementPart[]
): Promise<BalanceChangeResult & { rows: StatementRows }>;
export async function applyBalanceChange(
	db: DbOrTx,
	input: BalanceChange | BalanceChange[],
	paysFor?: (transactionId: string) => StatementPart[]
): Promise<BalanceChangeResult | BalanceChangeResult[]> {
	const changes = Array.isArray(input) ? input : [input];
	checkChanges(changes);
	if (Array.isArray(input) && changes.some((change) => change.pendingTransactionId)) {
		throw new Error('A pending transaction is completed on its own, not in a batch');
	}
	if (new Set(changes.map((change) => change.idempotencyKey)).size !== changes.length) {
		throw new Error('A batch of balance changes repeats an idempotency key');
	}
	if (changes.length === 0) return [];
	if (paysFor) return applyWith(db as Db, changes[0], paysFor);
	const results = await inTransaction(db, (tx) =>
		changes[0].pendingTransactionId ? completePending(tx, changes[0]).then((result) => [result]) : applyNew(tx, changes)
	);
	return Array.isArray(input) ? results : results[0];
}

/** The SQLSTATE of minispod_refuse_statement (migration 0023). */
const REFUSED_STATEMENT = 'MS409';

/** One change and what it pays for: one statement when nothing is in the way, else the locked path. */
async function applyWith(
	db: Db,
	change: BalanceChange,
	paysFor: (transactionId: string) => StatementPart[]
): Promise<BalanceChangeResult & { rows: StatementRows }> {
	if (change.pendingTransactionId) throw new Error('A pending transaction is completed without parts');
	const id = randomUUID();
	const alone = await writeAlone(db, change, id, paysFor(id));
	if (alone) return alone;
	return db.transaction(async (tx) => {
		const [result] = await applyNew(tx, [change]);
		if (!result.applied) return { ...result, rows: {} };
		return { ...result, rows: await inOneStatement(tx, paysFor(result.transaction.id)) };
	});
}

/**
 * The change's guarded move, its ledger row and the parts in one statement, or null when it
 * refused itself because the row was not written. The ledger row comes back as the result's
 * columns, each part's rows as a JSON array under the part's name (partsSql).
 */
async function writeAlone(
	db: Db,
	change: BalanceChange,
	id: string,
	parts: StatementPart[]
): Promise<(BalanceChangeResult & { rows: StatementRows }) | null> {
	// The parts' columns sit beside the row's: a part named like a ledger column would hide it.
	if (parts.some((part) => part.name === 'refused' || transactionColumns.some(([key]) => key === part.name))) {
		throw new Error('A statement part is named like a ledger column');
	}
	const build = () => {
		const { ctes, results } = parts.length ? partsSql(parts) : { ctes: null, results: null };
		return sql`WITH ${changesSql}${ctes ? sql`, ${ctes}` : sql``}
			SELECT guard.refused, ledger_rows.*${results ? sql`, ${results}` : sql``}
			FROM (SELECT CASE WHEN (SELECT count(*) FROM ledger_rows) <> 1 THEN minispod_refuse_statement() END AS refused) guard
				LEFT JOIN ledger_rows ON true`;
	};
	try {
		const { rows } = await executeShaped<Record<string, unknown>>(db, {
			name: 'ledger-alone',
			parts,
			build,
			values: changesValues([change], [id])
		});
		const [row] = rows;
		const written: StatementRows = {};
		for (const part of parts) written[part.name] = row[part.name] as StatementRows[string];
		return { transaction: toTransaction(row), applied: true, rows: written };
	} catch (error) {
		const cause = ((error as { cause?: unknown }).cause ?? error) as { code?: string };
		if (cause.code === REFUSED_STATEMENT) return null;
		throw error;
	}
}

/** Every amount whole rupiah (BAD_REQUEST on `amount`). */
function checkChanges(changes: BalanceChange[]) {
	if (changes.some((change) => !Number.isSafeInteger(change.amount))) {
		throw badRequest('amount', say(m.srv2_amount_whole_rupiah));
	}
}

/**
 * Locks the customers' rows (in id order, so concurrent batches cannot deadlock) with the
 * lock an UPDATE takes anyway (FOR NO KEY UPDATE: rows referring to the customer can still
 * be written meanwhile) and reads their balances.
 */
async function lockBalances(tx: Tx, userIds: string[]) {
	const rows = await tx
		.select({ id: users.id, balance: users.creditBalance })
		.from(users)
		.where(inArray(users.id, userIds))
		.orderBy(users.id)
		.for('no key update');
	if (rows.length !== userIds.length) throw notFound('User');
	return new Map(rows.map((row) => [row.id, row.balance]));
}

/** Keys of these changes already in the ledger: replays, which change nothing. */
async function replayedRows(tx: Tx, changes: BalanceChange[]) {
	const rows = await tx
		.select()
		.from(transactions)
		.where(
			inArray(
				transactions.idempotencyKey,
				changes.map((change) => change.idempotencyKey)
			)
		);
	for (const row of rows) {
		const change = changes.find((candidate) => candidate.idempotencyKey === row.idempotencyKey)!;
		if (row.userId !== change.userId) throw new AppError('CONFLICT', say(m.srv2_idempotency_key_taken));
	}
	return new Map(rows.map((row) => [row.idempotencyKey, row]));
}

/** Each new change's place in its customer's chain, from the locked balance on. */
function chain(changes: BalanceChange[], balances: Map<string, number>) {
	const running = new Map(balances);
	return changes.map((change) => {
		const before = running.get(change.userId)!;
		const after = before + change.amount;
		if (after < 0) throw insufficientCredit({ shortfall: -after, balance: before, required: -change.amount });
		if (change.maxBalance !== undefined && change.amount > 0 && after > change.maxBalance) {
			throw badRequest('amount', say(m.srv2_balance_cap, { max: formatRupiah(change.maxBalance) }), {
				maxBalance: change.maxBalance,
				balance: before
			});
		}
		running.set(change.userId, after);
		return { change, before, after };
	});
}

/**
 * The common case, changes to one customer, in one round trip (writeUnlocked); a replay, a
 * refusal or a key another transaction wrote meanwhile undoes that statement's work and takes
 * the locked path, which tells them apart. Batches over several customers lock them first in
 * id order, as an UPDATE over several rows locks them in no order it promises, and two such
 * batches could deadlock.
 */
async function applyNew(tx: Tx, changes: BalanceChange[]): Promise<BalanceChangeResult[]> {
	const oneCustomer = changes.every((change) => change.userId === changes[0].userId);
	const fast = oneCustomer ? await writeUnlocked(tx, changes) : null;
	if (fast) return fast.map((transaction) => ({ transaction, applied: true }));
	return applyLocked(tx, changes);
}

/**
 * Locks the customers' rows first, then reads the replayed keys and the balances under the
 * lock, so a replay, a short balance or a cap is reported exactly.
 */
async function applyLocked(tx: Tx, changes: BalanceChange[]): Promise<BalanceChangeResult[]> {
	const balances = await lockBalances(tx, [...new Set(changes.map((change) => change.userId))].sort());
	const replayed = await replayedRows(tx, changes);
	const links = chain(
		changes.filter((change) => !replayed.has(change.idempotencyKey)),
		balances
	);
	const written = links.length ? await writeLinks(tx, links) : [];
	// Every key was checked under the customers' locks: another writer of the same key would
	// have had to hold them too, so nothing can have slipped in between (throwing rolls back
	// the balances moved by the same statement).
	if (written.length !== links.length) throw new AppError('CONFLICT', say(m.srv2_idempotency_key_taken));
	const byKey = new Map(written.map((row) => [row.idempotencyKey, row]));
	return changes.map((change) => {
		const row = byKey.get(change.idempotencyKey);
		return row ? { transaction: row, applied: true } : { transaction: replayed.get(change.idempotencyKey)!, applied: false };
	});
}

type Link = { change: BalanceChange; before: number; after: number };

type UserMove = {
	/** Net change of the balance and of the lifetime totals. */
	amount: number;
	topUp: number;
	spent: number;
	/** The lowest the balance goes along the batch, relative to where it starts (at most 0). */
	lowest: number;
	/** The highest starting balance the batch's capped credits allow, or null without a cap. */
	cap: number | null;
};

/**
 * Each change's offset in its customer's chain (the sum of the customer's changes before it
 * in the batch), and each customer's net move with the guards that make the chain's checks
 * hold whatever the balance turns out to be: never below zero at any step, never above a
 * credit's cap.
 */
function planMoves(changes: BalanceChange[]) {
	const perUser = new Map<string, UserMove>();
	const offsets = changes.map((change) => {
		const move = perUser.get(change.userId) ?? { amount: 0, topUp: 0, spent: 0, lowest: 0, cap: null };
		const offset = move.amount;
		const after = offset + change.amount;
		const deltas = lifetimeDeltas(change.type, change.amount);
		const capped = change.maxBalance !== undefined && change.amount > 0;
		perUser.set(change.userId, {
			amount: after,
			topUp: move.topUp + deltas.topUp,
			spent: move.spent + deltas.spent,
			lowest: Math.min(move.lowest, after),
			cap: capped ? Math.min(move.cap ?? Infinity, change.maxBalance! - after) : move.cap
		});
		return offset;
	});
	return { offsets, perUser };
}

/**
 * The guarded UPDATE of the customers' balances and lifetime totals, as SQL returning each
 * moved customer's id and balance before the move; its values are moveValues'. Each move bumps
 * the customer's balance version (the newer of two reads of a balance has the higher). The UPDATE's
 * row lock is the only lock a change takes: a guard that fails moves nothing, and the caller
 * then looks closer. The ledger's statements are built once, with placeholders
 * (db/statement.ts, partTemplate), and filled per call.
 */
const moveValue = (key: string) => sql.placeholder(`move.${key}`);
const moveBalances = sql`UPDATE ${users} SET credit_balance = ${users.creditBalance} + d.amount,
		total_top_up = ${users.totalTopUp} + d.top_up, total_spent = ${users.totalSpent} + d.spent,
		balance_version = ${users.balanceVersion} + 1
	FROM unnest(${moveValue('ids')}::uuid[], ${moveValue('amounts')}::bigint[],
		${moveValue('topUps')}::bigint[], ${moveValue('spent')}::bigint[],
		${moveValue('lowest')}::bigint[], ${moveValue('caps')}::bigint[])
		AS d(id, amount, top_up, spent, lowest, cap)
	WHERE ${users.id} = d.id AND ${users.creditBalance} + d.lowest >= 0 AND (d.cap IS NULL OR ${users.creditBalance} <= d.cap)
	RETURNING ${users.id} AS id, ${users.creditBalance} - d.amount AS before`;

/** What moveBalances moves: each customer's net move with its guards. */
function moveValues(perUser: Map<string, UserMove>): StatementValues {
	const moves = [...perUser.values()];
	return {
		'move.ids': [...perUser.keys()],
		'move.amounts': moves.map((move) => move.amount),
		'move.topUps': moves.map((move) => move.topUp),
		'move.spent': moves.map((move) => move.spent),
		'move.lowest': moves.map((move) => move.lowest),
		'move.caps': moves.map((move) => move.cap)
	};
}

/** Every column of the ledger under its property name, so a raw row maps like a drizzle select. */
const transactionColumns = Object.entries(getTableColumns(transactions));
const returningTransaction = renderedOnce(
	sql.join(
		transactionColumns.map(([key, column]) => sql`${column} AS ${sql.identifier(key)}`),
		sql`, `
	)
);

function toTransaction(raw: Record<string, unknown>): Transaction {
	return Object.fromEntries(
		transactionColumns.map(([key, column]) => [key, raw[key] === null ? null : column.mapFromDriverValue(raw[key])])
	) as Transaction;
}

type Written = { moved: string[]; rows: Transaction[] };

/**
 * The guarded move of the balances and the completed ledger rows of a batch, as the CTEs
 * `ledger_moved` (each moved customer's id and balance before) and `ledger_rows` (the rows
 * written, under their property names); its values are changesValues'. Arrays through
 * unnest keep hundreds of rows as cheap to parse as one, and each row's balance before is the
 * one its customer's UPDATE returned plus its offset in the chain. A key already present
 * inserts nothing; a balance the guards refuse moves nothing, and so writes none of its rows.
 * The rows' ids are given, so what the change pays for can name its row in the same
 * statement (applyWith).
 */
const ledgerValue = (key: string) => sql.placeholder(`ledger.${key}`);
const changesSql = sql`ledger_moved AS (${moveBalances}),
	ledger_rows AS (
		INSERT INTO ${transactions} (id, user_id, type, status, amount, balance_before, balance_after, completed_at, description, text,
			idempotency_key, payment_method, payment_reference, subscription_id, metadata, processed_by, admin_notes)
		SELECT v.id, v.user_id, v.type, 'COMPLETED', v.amount, m.before + v."offset", m.before + v."offset" + v.amount,
			v.completed_at, v.description, v.text,
			v.idempotency_key, v.payment_method, v.payment_reference, v.subscription_id, v.metadata, v.processed_by, v.admin_notes
		FROM unnest(
			${ledgerValue('ids')}::uuid[], ${ledgerValue('userIds')}::uuid[], ${ledgerValue('types')}::transaction_type[],
			${ledgerValue('amounts')}::bigint[], ${ledgerValue('offsets')}::bigint[],
			${ledgerValue('descriptions')}::text[], ${ledgerValue('keys')}::text[],
			${ledgerValue('paymentMethods')}::payment_method[], ${ledgerValue('paymentReferences')}::text[],
			${ledgerValue('subscriptionIds')}::uuid[], ${ledgerValue('metadata')}::jsonb[],
			${ledgerValue('processedBy')}::uuid[], ${ledgerValue('adminNotes')}::text[],
			${ledgerValue('completedAt')}::timestamptz[], ${ledgerValue('texts')}::jsonb[]
		) AS v(id, user_id, type, amount, "offset", description, idempotency_key, payment_method, payment_reference,
			subscription_id, metadata, processed_by, admin_notes, completed_at, text)
		JOIN ledger_moved m ON m.id = v.user_id
		ON CONFLICT (idempotency_key) DO NOTHING
		RETURNING ${returningTransaction})`;

/** What changesSql writes for `changes`, their rows' ids `ids`. */
function changesValues(changes: BalanceChange[], ids: string[]): StatementValues {
	const { offsets, perUser } = planMoves(changes);
	const column = <T>(pick: (change: BalanceChange) => T) => changes.map(pick);
	return {
		...moveValues(perUser),
		'ledger.ids': ids,
		'ledger.userIds': column((c) => c.userId),
		'ledger.types': column((c) => c.type),
		'ledger.amounts': column((c) => c.amount),
		'ledger.offsets': offsets,
		'ledger.descriptions': column((c) => c.description),
		'ledger.keys': column((c) => c.idempotencyKey),
		'ledger.paymentMethods': column((c) => c.paymentMethod ?? null),
		'ledger.paymentReferences': column((c) => c.paymentReference ?? null),
		'ledger.subscriptionIds': column((c) => c.subscriptionId ?? null),
		'ledger.metadata': column((c) => JSON.stringify(c.metadata ?? {})),
		'ledger.processedBy': column((c) => c.processedBy ?? null),
		'ledger.adminNotes': column((c) => c.adminNotes ?? null),
		'ledger.completedAt': column((c) => c.at.toISOString()),
		'ledger.texts': column((c) => (c.text ? JSON.stringify(c.text) : null))
	};
}

/**
 * Moves the balances and writes the completed ledger rows of a batch in one statement (one
 * round trip while the customers' rows are locked), a named prepared statement: its text is
 * the same whatever the batch (db/statement.ts).
 */
async function writeChanges(tx: Tx, changes: BalanceChange[]): Promise<Written> {
	const ids = changes.map(() => randomUUID());
	const result = await executeShaped<Record<string, unknown> & { moved: string[] }>(tx, {
		name: 'ledger-batch',
		build: () => sql`WITH ${changesSql}
			SELECT m.moved, ledger_rows.* FROM (SELECT coalesce(array_agg(id::text), '{}') AS moved FROM ledger_moved) m
				LEFT JOIN ledger_rows ON true`,
		values: changesValues(changes, ids)
	});
	const rows = result.rows.filter((raw) => raw.id !== null && raw.id !== undefined).map(toTransaction);
	return { moved: result.rows[0].moved, rows };
}

/**
 * The whole batch with no lock before its statement: done when every customer moved and
 * every row was written. Otherwise (a replayed key, a short balance, a cap, a missing
 * customer, or a key another transaction wrote meanwhile) what the statement did is undone
 * inside this transaction, under the row locks it took, and null sends the caller to the
 * locked path.
 */
async function writeUnlocked(tx: Tx, changes: BalanceChange[]): Promise<Transaction[] | null> {
	const written = await writeChanges(tx, changes);
	const customers = new Set(changes.map((change) => change.userId)).size;
	if (written.moved.length === customers && written.rows.length === changes.length) {
		const byKey = new Map(written.rows.map((row) => [row.idempotencyKey, row]));
		return changes.map((change) => byKey.get(change.idempotencyKey)!);
	}
	if (written.rows.length > 0) {
		await tx.delete(transactions).where(
			inArray(
				transactions.id,
				written.rows.map((row) => row.id)
			)
		);
	}
	if (written.moved.length > 0) {
		const moved = new Set(written.moved);
		const { perUser } = planMoves(changes.filter((change) => moved.has(change.userId)));
		const back = new Map([...perUser].map(([id, move]) => [id, undone(move)]));
		const undo = await executePrepared(tx, moveBalances, moveValues(back));
		if (undo.rows.length !== moved.size) throw new Error('A balance moved by this transaction could not be moved back');
	}
	return null;
}

/** The opposite move, without guards (it returns balances to where this transaction found them). */
function undone(move: UserMove): UserMove {
	return { amount: -move.amount, topUp: -move.topUp, spent: -move.spent, lowest: 0, cap: null };
}

/** Writes the rows of changes checked under the customers' locks (see applyLocked). */
async function writeLinks(tx: Tx, links: Link[]) {
	const written = await writeChanges(
		tx,
		links.map((link) => link.change)
	);
	// The rows are locked and the chain was checked: a refusal here means the books are wrong.
	if (written.moved.length !== new Set(links.map((link) => link.change.userId)).size) {
		throw new Error('A balance moved while it was locked');
	}
	return written.rows;
}

/**
 * Completes a PENDING row (a top-up): locked first, so a second completion finds it done.
 * The guarded UPDATE of the balance is the customer's lock, and the row is completed with
 * the balance it found in the same statement; only a refusal reads the balance (under a
 * lock) to say why.
 */
async function completePending(tx: Tx, change: BalanceChange): Promise<BalanceChangeResult> {
	const [existing] = await tx.select().from(transactions).where(eq(transactions.id, change.pendingTransactionId!)).for('update');
	if (!existing || existing.userId !== change.userId) throw notFound('Transaction');
	if (existing.amount !== change.amount || existing.type !== change.type) {
		throw new AppError('CONFLICT', say(m.srv2_pending_mismatch));
	}
	if (existing.status !== 'PENDING') return { transaction: existing, applied: false };
	let completed = await moveAndComplete(tx, existing.id, change);
	if (!completed) {
		// Throws why the guard refused; if the balance changed since, the move is made again under the lock.
		chain([change], await lockBalances(tx, [change.userId]));
		completed = await moveAndComplete(tx, existing.id, change);
		if (!completed) throw new Error('A balance moved while it was locked');
	}
	return { transaction: completed, applied: true };
}

/**
 * The guarded move of the balance and the completion of the pending row with the balances
 * before and after, in one statement; nothing when the guard refuses. The payment details
 * given replace the row's, the metadata given is merged into its own.
 */
async function moveAndComplete(tx: Tx, id: string, change: BalanceChange): Promise<Transaction | null> {
	const { perUser } = planMoves([change]);
	const { rows } = await executePrepared(
		tx,
		sql`WITH moved AS (${moveBalances})
		UPDATE ${transactions} SET status = 'COMPLETED', balance_before = moved.before, balance_after = moved.before + ${change.amount}::bigint,
			completed_at = ${change.at.toISOString()}::timestamptz,
			payment_method = coalesce(${change.paymentMethod ?? null}::payment_method, ${transactions.paymentMethod}),
			payment_reference = coalesce(${change.paymentReference ?? null}::text, ${transactions.paymentReference}),
			processed_by = coalesce(${change.processedBy ?? null}::uuid, ${transactions.processedBy}),
			admin_notes = coalesce(${change.adminNotes ?? null}::text, ${transactions.adminNotes}),
			metadata = ${transactions.metadata} || ${JSON.stringify(change.metadata ?? {})}::jsonb, updated_at = now()
		FROM moved WHERE ${transactions.id} = ${id}
		RETURNING ${returningTransaction}`,
		moveValues(perUser)
	);
	return rows.length ? toTransaction(rows[0]) : null;
}
