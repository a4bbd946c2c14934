// @actions/workflow-parser imports its JSON schemas without an import attribute, which Jest
// reports as deprecated on every run; jest.config.js maps that import here instead.
const { readFileSync } = require('node:fs')
const { join } = require('node:path')

module.exports = JSON.parse(
  readFileSync(
    join(__dirname, '../../node_modules/@actions/workflow-parser/dist/action-v1.0.min.json'),
    'utf8'
  )
)
