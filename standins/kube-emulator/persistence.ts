// The emulator's state on disk, so the stand-ins process can restart without losing the
// emulated cluster. Pods are not saved: like pods on a replaced node, the controller
// recreates them from their Deployments after a restart (new names, fresh logs).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { RESOURCE_TYPES, resourceTypeForKind } from './resources';
import type { ObjectStore, StoreSnapshot } from './store';

const SAVE_DELAY_MS = 200;
const POD = resourceTypeForKind('Pod');

export type SavedState = { token: string; store: StoreSnapshot };

export function loadState(file: string): SavedState | undefined {
	if (!existsSync(file)) return undefined;
	return JSON.parse(readFileSync(file, 'utf8')) as SavedState;
}

/** Writes atomically (a crash mid-write leaves the previous state). */
function writeState(file: string, state: SavedState) {
	writeFileSync(`${file}.tmp`, JSON.stringify(state), { mode: 0o600 });
	renameSync(`${file}.tmp`, file);
}

/** Restores `saved` into `store` (all but pods) and saves every later change shortly after it happens. */
export function persistStore(store: ObjectStore, file: string, token: string, saved: SavedState | undefined) {
	if (saved)
		store.restore(
			saved.store,
			RESOURCE_TYPES.filter((type) => type !== POD)
		);
	let timer: NodeJS.Timeout | undefined;
	const save = () => {
		timer = undefined;
		writeState(file, { token, store: store.snapshot([POD]) });
	};
	const unsubscribe = store.subscribe(() => {
		timer ??= setTimeout(save, SAVE_DELAY_MS);
	});
	save();
	return {
		/** Saves now and stops watching the store. */
		close() {
			unsubscribe();
			if (timer) clearTimeout(timer);
			save();
		}
	};
}
