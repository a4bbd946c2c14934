import { scenarioOf } from './scenarios.js'
const arg = process.argv[2]
if (arg === 'regress') {
  const seeds = [1,7,54,45,71,4767,435,3914,33,140,322,174,115,146,18,7333,9262,7025,2,5,117,200,6597,119,1007,5476,78,299,6,395,216,278,5174,5099]
  console.log(seeds.filter((s) => scenarioOf(s).operation.startsWith('c1-')).join(' ') || 'none moved')
  let c = 0; for (let s = 1; s <= 10000; s++) if (scenarioOf(s).operation.startsWith('c1-')) c++
  console.log('c1 share in 1..10000:', c)
} else for (let s = 1; s <= 300; s++) console.log(JSON.stringify(scenarioOf(s)))
