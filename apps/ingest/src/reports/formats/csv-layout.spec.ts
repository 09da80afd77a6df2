import { Readable } from 'node:stream';
import { CsvCommentFilter, readColumnMapping, resolveLayout } from './csv-layout';

async function filtered(chunks: string[]): Promise<{ text: string; header?: string }> {
  const filter = new CsvCommentFilter();
  const parts: Buffer[] = [];
  Readable.from(chunks.map((chunk) => Buffer.from(chunk))).pipe(filter);
  for await (const part of filter) parts.push(part as Buffer);
  return { text: Buffer.concat(parts).toString(), header: filter.lastCommentBeforeData };
}

describe('CsvCommentFilter', () => {
  const file =
    '####\n# banner, with a comma\n#\n# id,url\n"1","http://a.example/#x"\n#"Number of entries: 1"\n"2","b"\n';
  const expected = '\n\n\n\n"1","http://a.example/#x"\n\n"2","b"\n';

  it('blanks comment lines, keeping line breaks, and keeps the last comment before the data', async () => {
    expect(await filtered([file])).toEqual({ text: expected, header: '# id,url' });
  });

  it('gives the same result however the bytes are split into chunks', async () => {
    for (let size = 1; size <= 9; size += 1) {
      const chunks = Array.from({ length: Math.ceil(file.length / size) }, (_, index) =>
        file.slice(index * size, (index + 1) * size),
      );
      expect(await filtered(chunks)).toEqual({ text: expected, header: '# id,url' });
    }
  });

  it('passes a file without comments through untouched', async () => {
    expect(await filtered(['type,value\n', 'ipv4,192.0.2.1\n'])).toEqual({ text: 'type,value\nipv4,192.0.2.1\n' });
  });
});

describe('column mapping', () => {
  it('reads columns and indicator_type, several sources only for note', () => {
    const mapping = readColumnMapping({
      columns: 'URL:value, dateadded:first_seen,threat:note,tags:note',
      indicator_type: 'URL',
    });
    expect(mapping).toEqual({
      sources: new Map([
        ['value', ['url']],
        ['first_seen', ['dateadded']],
        ['note', ['threat', 'tags']],
      ]),
      indicatorType: 'url',
    });
    expect(readColumnMapping({ title: 'no mapping' })).toBeUndefined();
    expect(() => readColumnMapping({ columns: 'a:value,b:value', indicator_type: 'url' })).toThrow();
  });

  it('takes the header from the first record, else from the comment before it', () => {
    const mapping = readColumnMapping({ columns: 'url:value', indicator_type: 'url' });
    expect(resolveLayout(['id', 'URL'], undefined, mapping)).toMatchObject({ firstRecordIsData: false });
    const fromComment = resolveLayout(['1', 'http://a.example/'], '# "id", "url"', mapping);
    expect(fromComment).toMatchObject({ firstRecordIsData: true, indexes: new Map([['value', [1]]]) });
    expect(() => resolveLayout(['1', 'http://a.example/'], '# banner', mapping)).toThrow();
  });
});
