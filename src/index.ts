import { Cancellation } from './cancellation.js'
import { systemClock } from './clock.js'
import { run } from './main.js'

// From the first line on, SIGINT and SIGTERM no longer kill the process: they cancel the run,
// which then reports (see cancellation.ts).
const cancellation = new Cancellation()
cancellation.listen()
await run(systemClock, cancellation)
cancellation.release()
// A cancelled run has reported; requests it abandoned must not keep the process alive.
if (cancellation.signal) process.exit(1)
