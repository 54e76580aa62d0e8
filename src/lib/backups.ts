// What the pages say of backups and the server enforces alike.

/** A termination's backup is kept this long, so an app terminated by mistake can be restored by an administrator. */
export const TERMINATION_BACKUP_DAYS = 7;
