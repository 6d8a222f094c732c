import { promisify } from 'node:util';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export interface ZipEntry {
  name: string;
  /** Bytes once unzipped. */
  size: number;
  /** Bytes inside the zip. */
  compressedSize: number;
  content: Buffer;
}

/** Every file in a zip (a packaged function), with its content: what Lambda unpacks. */
export async function zipEntries(path: string): Promise<ZipEntry[]> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true }, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  const openReadStream = promisify(zip.openReadStream.bind(zip));
  const entries: ZipEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      openReadStream(entry)
        .then(async (stream) => {
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          entries.push({
            name: entry.fileName,
            size: entry.uncompressedSize,
            compressedSize: entry.compressedSize,
            content: Buffer.concat(chunks),
          });
          zip.readEntry();
        })
        .catch(reject);
    });
    zip.readEntry();
  });
  return entries;
}
