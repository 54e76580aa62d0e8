// A MinisPod worker in a process of its own, configured from the environment, for tests
// that kill it (tests/integration/crash-provisioning.test.ts). Prints "ready" once its
// queues are registered; SIGTERM stops it cleanly, SIGKILL is the crash under test.
import { bootMinisPod } from '../../src/boot';
import { parseConfig } from '../../src/lib/server/config';
import { createLogger } from '../../src/lib/server/log';

const runtime = await bootMinisPod(parseConfig(process.env), {
	seed: false,
	work: true,
	logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false })
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
	void runtime.close().finally(() => process.exit(0));
});
