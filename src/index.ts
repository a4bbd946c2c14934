import { Cancellation } from './cancellation.js'
import { systemClock } from './clock.js'
import { run } from './main.js'

// From the first line to the last, SIGINT and SIGTERM never kill the process: they cancel the
// run, which then reports (see cancellation.ts).
const cancellation = new Cancellation()
cancellation.listen()
await run(systemClock, cancellation)
// A cancelled run has reported; requests it abandoned must not keep the process alive. Its exit
// code is the report's (a run that finished before the signal counts as done), once the log
// has reached the runner.
if (cancellation.signal) process.stdout.write('', () => process.exit(process.exitCode ?? 0))
