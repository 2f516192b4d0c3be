/** Unit tests: date shifting, the free-text cleaner, keyed pseudonyms and the compiled profile. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANNEX_E_SOURCE, cleanFreeText, compileProfile, Pseudonymizer, resolveOptions } from '../src/index.js';
import { ANNEX_E_ROWS } from '../src/profile/annex-e-2024b.js';
import { dictionaryVr, vrOf } from '../src/profile/dictionary.js';
import { shiftDate } from '../src/values.js';

test('shiftDate keeps the precision of the value and rejects what is not a date', () => {
  assert.equal(shiftDate('20190417', 1), '20190416');
  assert.equal(shiftDate('20200301', 1), '20200229');
  assert.equal(shiftDate('20190417101112.5+0100', 365), '20180417101112.5+0100');
  assert.equal(shiftDate('201904', 365), '201804');
  assert.equal(shiftDate('1983', 366), '1982');
  assert.equal(shiftDate('1993.04.30', 10), undefined);
  assert.equal(shiftDate('20191341', 10), undefined);
  assert.equal(shiftDate('ANON', 10), undefined);
});

test('cleanFreeText keeps imaging vocabulary and numbers with units only', () => {
  assert.equal(cleanFreeText('CT chest w/ contrast 55F Dr. Smith'), 'CT CHEST W CONTRAST');
  assert.equal(cleanFreeText('Sag T2 FSE L1-L5 3mm'), 'SAG T2 FSE L1 L5 3MM');
  assert.equal(cleanFreeText('John Doe MRN 123456 2019-04-17'), '');
});

test('Pseudonymizer: 2.25 UIDs ≤ 64 chars, deterministic per key, keys under 16 bytes refused', () => {
  const a = new Pseudonymizer(Buffer.alloc(32, 1));
  const b = new Pseudonymizer(Buffer.alloc(32, 2));
  const uid = a.uid('1.2.3.4');
  assert.match(uid, /^2\.25\.[1-9]\d{0,38}$/);
  assert.ok(uid.length <= 64);
  assert.equal(a.uid('1.2.3.4'), uid);
  assert.notEqual(b.uid('1.2.3.4'), uid);
  assert.notEqual(a.uid('1.2.3.5'), uid);
  assert.equal(a.patientCode(Buffer.from('X')), a.patientCode(Buffer.from('X')));
  assert.match(a.pathName('a/b'), /^[0-9a-f]{20}$/);
  const off = a.dateOffsetDays(Buffer.from('X'));
  assert.ok(off >= 365 && off <= 3651);
  assert.throws(() => new Pseudonymizer(Buffer.alloc(8)), /at least 16 bytes/);
});

test('the compiled profile covers every exact row of Table E.1-1 (2024b) and resolves combined codes', () => {
  assert.equal(ANNEX_E_SOURCE.version, '2024b');
  assert.equal(ANNEX_E_ROWS.length, 621);
  const basic = compileProfile(resolveOptions());
  assert.equal(basic.exact.size, ANNEX_E_ROWS.filter((r) => /^[0-9a-f]{8}$/.test(r.id)).length);
  const action = (tag: number, p = basic): string | undefined => p.exact.get(tag)?.action;
  assert.equal(action(0x00100010), 'Z'); // Patient's Name
  assert.equal(action(0x00080018), 'U'); // SOP Instance UID
  assert.equal(action(0x00080080), 'D'); // Institution Name X/Z/D (conformance)
  assert.equal(action(0x00081140), 'K'); // Referenced Image Sequence X/Z/U*: walked, UIDs inside remapped
  assert.equal(action(0x00081030), 'X'); // Study Description
  const strict = compileProfile(resolveOptions({ combinedActions: 'strict' }));
  assert.equal(action(0x00080080, strict), 'X');
  const opts = compileProfile(resolveOptions({ cleanDescriptors: true, retainLongitudinalTemporal: 'modified', retainInstitutionIdentity: true }));
  assert.equal(action(0x00081030, opts), 'C');
  assert.equal(action(0x00080020, opts), 'SHIFT');
  assert.equal(action(0x00080080, opts), 'K');
});

test('dictionary lookups: exact tags, repeating groups, private creators', () => {
  assert.equal(dictionaryVr(0x00100010), 'PN');
  assert.equal(dictionaryVr(0x60023000), 'OW');
  assert.equal(vrOf(0x00190010), 'LO');
  assert.equal(vrOf(0x00191010), 'UN');
  assert.equal(dictionaryVr(0x00080099), undefined);
});
