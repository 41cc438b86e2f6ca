// Driver: instantiate the kernel checks compiled for wasm32 + simd128 and report.
import { readFileSync } from 'node:fs'

const file = process.argv[2]
const { instance } = await WebAssembly.instantiate(readFileSync(file))
const { run, first_failure: firstFailure } = instance.exports
const failures = run()
if (failures > 0) {
  const first = firstFailure()
  console.error(`core-wasm: ${failures} failed checks; first: check ${Math.floor(first / 10000)} at length ${first % 10000}`)
}
console.log(`core-wasm: ${failures === 0 ? 1 : 0} passed, ${failures === 0 ? 0 : 1} failed`)
process.exit(failures === 0 ? 0 : 1)
