-- A money write that nothing stands in the way of goes as one statement without a
-- transaction of its own (wallet/ledger.ts, applyBalanceChangeWith): PostgreSQL runs a
-- statement atomically. When the statement finds the change cannot go through as it is (a
-- replayed key, a short balance, a cap), it calls this function, whose error undoes all of
-- its work; the caller then takes the locked path, which says why. The SQLSTATE is
-- MinisPod's own, so a refusal is told apart from any other error.
-- https://www.postgresql.org/docs/current/plpgsql-errors-and-messages.html
CREATE FUNCTION minispod_refuse_statement() RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	RAISE EXCEPTION 'statement refused by MinisPod, to be retried under lock' USING ERRCODE = 'MS409';
END;
$$;
