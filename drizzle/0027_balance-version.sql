-- How many times a customer's balance has moved: the ledger's guarded update bumps it, so the
-- header can tell the newer of two reads of the balance (the page's and the live stream's).
ALTER TABLE "users" ADD COLUMN "balance_version" bigint DEFAULT 0 NOT NULL;