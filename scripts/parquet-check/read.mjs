// Prints what hyparquet (an independent Parquet reader) sees in a file, as one JSON object:
// { rows: [...objects], columns: [{ name, type, logical }], metadata: { key: value } }.
// Used by the tests to check that Parquet files written by Expt read the same elsewhere.
// Usage: node read.mjs FILE.parquet
import { readFileSync } from 'node:fs'
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet'

const file = process.argv[2]
if (!file) {
  console.error('usage: node read.mjs FILE.parquet')
  process.exit(2)
}
const bytes = readFileSync(file)
const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
const metadata = parquetMetadata(buffer)
const schema = parquetSchema(metadata)
const rows = await parquetReadObjects({ file: buffer })
const columns = schema.children.map(c => ({
  name: c.element.name,
  type: c.element.type,
  logical: c.element.logical_type?.type ?? c.element.converted_type ?? null,
}))
const kv = Object.fromEntries((metadata.key_value_metadata ?? []).map(e => [e.key, e.value]))
const json = JSON.stringify({ rows, columns, metadata: kv }, (key, value) => {
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return value
})
console.log(json)
