// Prints every text and blob value of every table of a SQLite database, one per line, for the secret scan.
// Run with the runtime's Node.js (node:sqlite needs Node 22.5+; jest may run on an older one):
//   node sqlite-text.js <database file>
// A value longer than a page is split over overflow pages in the file itself, so a byte scan of the file alone
// could miss a secret that straddles two pages; read through SQLite, every value comes back whole.
const { DatabaseSync } = require('node:sqlite');

const database = new DatabaseSync(process.argv[2], { readOnly: true });
const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
let rows = 0;
for (const { name } of tables) {
	for (const row of database.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).iterate()) {
		rows++;
		for (const value of Object.values(row)) {
			if (typeof value === 'string') process.stdout.write(`${value}\n`);
			else if (value instanceof Uint8Array) process.stdout.write(`${Buffer.from(value).toString('latin1')}\n`);
		}
	}
}
database.close();
process.stderr.write(`${tables.length} tables, ${rows} rows\n`);
