// Adds one plain closing line, "conformance: N passed, N failed, N skipped", after vitest's own
// summary: CI reads that shape to know tests ran, whatever the runner. Unhandled errors and
// files that failed to load count as failures, as they do for vitest's exit code.
// It uses onFinished, not onTestRunEnd, because the default reporter prints its summary there
// and this line has to come last.
import type { Reporter } from 'vitest/node'

type Task = { type: string; mode: string; result?: { state?: string; errors?: unknown[] }; tasks?: Task[] }

export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = [], errors: unknown[] = []): void {
    const counts = { passed: 0, failed: errors.length, skipped: 0 }
    // Tests that never ran because a hook of an enclosing suite failed (say, the target did not
    // open) are failures, not skips, even though vitest lists them as skipped. Such a suite
    // carries the hook's error itself; a suite that merely contains a failed test does not.
    const walk = (task: Task, hookFailed: boolean) => {
      if (task.type === 'test') {
        if (task.result?.state === 'pass') counts.passed++
        else if (task.result?.state === 'fail' || hookFailed) counts.failed++
        else counts.skipped++
        return
      }
      const failedHere = hookFailed || (task.result?.errors?.length ?? 0) > 0
      task.tasks?.forEach((child) => walk(child, failedHere))
    }
    for (const file of files) {
      const before = counts.passed + counts.failed + counts.skipped
      walk(file, false)
      // A file that failed before any of its tests ran (import error, beforeAll failure with no tests).
      if (file.result?.state === 'fail' && counts.passed + counts.failed + counts.skipped === before) counts.failed++
    }
    process.stdout.write(`\nconformance: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`)
  }
}
