// Reads a Parquet file with DuckDB and prints, as one JSON object, its row count, the
// column types DuckDB sees and every row (timestamps as ISO strings): what the Parquet
// export test checks. Usage: node read.mjs FILE.parquet
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const lit = "'" + file.replaceAll("'", "''") + "'";
const types = {};
for (const r of (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit})`)).getRowObjectsJson()) {
  types[r.column_name] = r.column_type;
}
const count = Number((await con.runAndReadAll(`SELECT count(*) AS n FROM read_parquet(${lit})`)).getRowObjectsJson()[0].n);
const rows = (await con.runAndReadAll(
  `SELECT id, url, title, text, word_count, strftime(published, '%Y-%m-%dT%H:%M:%SZ') AS published,
          strftime(fetched_at, '%Y-%m-%dT%H:%M:%SZ') AS fetched_at, lang, byline
   FROM read_parquet(${lit}) ORDER BY id`)).getRowObjectsJson();
const groups = Number((await con.runAndReadAll(
  `SELECT count(DISTINCT row_group_id) AS g FROM parquet_metadata(${lit})`)).getRowObjectsJson()[0].g);
const codecs = (await con.runAndReadAll(
  `SELECT DISTINCT compression FROM parquet_metadata(${lit})`)).getRowObjectsJson().map(r => r.compression);
console.log(JSON.stringify({ count, types, rows, groups, codecs }));
