// A Playwright reporter for CI, where the trace of a failed test is lost with the machine:
// for each failed test it prints the steps with when each started and how long it took,
// and the page as Playwright last saw it (its "error context"), so the log alone tells
// where the time went and what was on the screen.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';

const PAGE_LINES = 120;

function lines(steps: TestStep[], start: number, depth: number, out: string[]) {
	for (const step of steps) {
		if (step.category === 'hook' || step.category === 'fixture') continue;
		const at = ((step.startTime.getTime() - start) / 1000).toFixed(1).padStart(6);
		const took = (step.duration / 1000).toFixed(1);
		const where = step.location ? ` · ${path.basename(step.location.file)}:${step.location.line}` : '';
		out.push(`${at}s ${'  '.repeat(depth)}${step.title} (${took}s${where})${step.error ? ' ✘' : ''}`);
		if (depth < 1) lines(step.steps, start, depth + 1, out);
	}
}

export default class FailureReport implements Reporter {
	onTestEnd(test: TestCase, result: TestResult) {
		if (result.status === 'passed' || result.status === 'skipped') return;
		const out = [`\n── Steps of the failed test "${test.title}" (from its start) ──`];
		lines(result.steps, result.startTime.getTime(), 0, out);
		const context = result.attachments.find((a) => a.name === 'error-context' && a.path);
		if (context?.path) {
			try {
				// The file opens with instructions and the error the list reporter printed already.
				const text = readFileSync(context.path, 'utf8');
				const page = text.slice(Math.max(0, text.indexOf('```yaml'))).split('\n');
				out.push(`── The page at the failure (first ${PAGE_LINES} lines) ──`, ...page.slice(0, PAGE_LINES));
			} catch {
				// Written after the test ended on some versions; the steps are the main part.
			}
		}
		process.stdout.write(`${out.join('\n')}\n`);
	}

	printsToStdio() {
		return false;
	}
}
