// What the built app says when an outside service is not configured: it never starts the
// stand-ins itself (they are not in its bundle); `npm start` runs them as a process of their own.

/** The error for a missing outside service, naming the setting that configures it. */
export const notConfigured = (setting: string) =>
	`No ${setting} is configured. Set it, or run the stand-ins for development: \`npm start\` does so by itself, ` +
	'or run `npm run standins` and start MinisPod with the environment it prints.';
