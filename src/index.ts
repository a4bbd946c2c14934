import { cancellationRequested } from './cancellation.js'
import { run } from './main.js'

await run()
// A cancelled run has reported; requests it abandoned must not keep the process alive.
if (cancellationRequested()) process.exit(1)
