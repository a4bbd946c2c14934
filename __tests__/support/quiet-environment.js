import { TestEnvironment } from 'jest-environment-node'

/**
 * The Node test environment, with what tests write to stdout (workflow commands such as
 * `::add-mask::`, retry lines, debug lines) held back and shown only for a test that failed.
 */
export default class QuietEnvironment extends TestEnvironment {
  held = []
  write = undefined

  async handleTestEvent(event) {
    if (event.name === 'test_start') {
      this.held = []
      this.write = process.stdout.write
      process.stdout.write = (chunk, ...rest) => {
        this.held.push(String(chunk))
        const done = rest.find((r) => typeof r === 'function')
        if (done) done()
        return true
      }
    }
    if (event.name === 'test_done' && this.write) {
      process.stdout.write = this.write
      this.write = undefined
      if (event.test.errors.length > 0 && this.held.length > 0) {
        process.stdout.write(`\n--- output of "${event.test.name}" ---\n${this.held.join('')}\n`)
      }
      this.held = []
    }
  }
}
