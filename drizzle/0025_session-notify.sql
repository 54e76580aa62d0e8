-- Each web process holds the sessions it has validated for a few seconds (auth/session-cache.ts)
-- and must drop a copy as soon as what it holds changes, whoever changes it: a session ended or
-- renewed, or its user blocked, made an administrator or not, renamed, moved to another address
-- or language. These triggers tell every process by the `sessions` event on the channel the
-- app's live events use (events.ts), naming the users whose sessions changed. A notification
-- sent in a transaction is delivered only when it commits, and identical ones once
-- (https://www.postgresql.org/docs/current/sql-notify.html).
--
-- Sessions: one notification a statement, from its transition table
-- (https://www.postgresql.org/docs/current/sql-createtrigger.html), so a sweep of expired
-- sessions sends one; over 100 users it names none (null: every session).
CREATE FUNCTION minispod_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	user_ids text[];
BEGIN
	SELECT array_agg(DISTINCT user_id::text) INTO user_ids FROM changed_sessions;
	IF user_ids IS NOT NULL THEN
		PERFORM pg_notify('minispod_events', json_build_object(
			'type', 'sessions',
			'userIds', CASE WHEN cardinality(user_ids) <= 100 THEN to_json(user_ids) END
		)::text);
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER sessions_deleted_notify AFTER DELETE ON sessions
	REFERENCING OLD TABLE AS changed_sessions
	FOR EACH STATEMENT EXECUTE FUNCTION minispod_sessions_changed();
--> statement-breakpoint
CREATE TRIGGER sessions_updated_notify AFTER UPDATE ON sessions
	REFERENCING OLD TABLE AS changed_sessions
	FOR EACH STATEMENT EXECUTE FUNCTION minispod_sessions_changed();
--> statement-breakpoint
-- Users: only when a column a session carries changes. `UPDATE OF` leaves the trigger out of
-- every UPDATE that does not name one of them, such as each change of the credit balance.
CREATE FUNCTION minispod_session_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('minispod_events', json_build_object('type', 'sessions', 'userIds', json_build_array(NEW.id::text))::text);
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER users_session_fields_notify
	AFTER UPDATE OF name, email, role, is_active, email_verified_at, locale ON users
	FOR EACH ROW
	WHEN ((OLD.name, OLD.email, OLD.role, OLD.is_active, OLD.email_verified_at, OLD.locale)
		IS DISTINCT FROM (NEW.name, NEW.email, NEW.role, NEW.is_active, NEW.email_verified_at, NEW.locale))
	EXECUTE FUNCTION minispod_session_user_changed();
