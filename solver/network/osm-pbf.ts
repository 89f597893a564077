// OpenStreetMap PBF reader (https://wiki.openstreetmap.org/wiki/PBF_Format): nodes, dense nodes and ways.
// Pure: the zlib inflate of each blob is supplied by the caller (node:zlib's inflateSync at the I/O edge).
import { PbfReader } from 'pbf';
import { InvalidProblemError } from '../errors.ts';
import type { OsmData, OsmNode, OsmWay } from './osm.ts';

export type Inflate = (compressed: Uint8Array) => Uint8Array;

const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);
const utf8 = new TextDecoder();

export function parseOsmPbf(bytes: Uint8Array, inflate: Inflate): OsmData {
  const data: OsmData = { nodes: [], ways: [] };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + 4 > bytes.length) throw new InvalidProblemError('pbf', `truncated blob header at byte ${pos}`);
    const headerLength = view.getInt32(pos);
    pos += 4;
    const header = readBlobHeader(bytes.subarray(pos, pos + headerLength));
    pos += headerLength;
    if (pos + header.dataSize > bytes.length) throw new InvalidProblemError('pbf', `truncated blob at byte ${pos}`);
    const blob = readBlob(bytes.subarray(pos, pos + header.dataSize), inflate);
    pos += header.dataSize;
    if (header.type === 'OSMHeader') checkHeader(blob);
    else if (header.type === 'OSMData') readPrimitiveBlock(blob, data);
  }
  return data;
}

function readBlobHeader(bytes: Uint8Array): { type: string; dataSize: number } {
  return new PbfReader(bytes).readFields(
    (tag, header, pbf) => {
      if (tag === 1) header.type = pbf.readString();
      else if (tag === 3) header.dataSize = pbf.readVarint();
    },
    { type: '', dataSize: 0 },
  );
}

function readBlob(bytes: Uint8Array, inflate: Inflate): Uint8Array {
  const blob = new PbfReader(bytes).readFields(
    (tag, b: { raw?: Uint8Array; zlib?: Uint8Array; other?: number }, pbf) => {
      if (tag === 1) b.raw = pbf.readBytes();
      else if (tag === 3) b.zlib = pbf.readBytes();
      else if (tag >= 4) b.other = tag;
    },
    {},
  );
  if (blob.raw) return blob.raw;
  if (blob.zlib) return inflate(blob.zlib);
  throw new InvalidProblemError('pbf', `unsupported blob compression (field ${blob.other ?? 'none'})`);
}

function checkHeader(bytes: Uint8Array): void {
  new PbfReader(bytes).readFields((tag, _: null, pbf) => {
    if (tag !== 4) return;
    const feature = pbf.readString();
    if (!SUPPORTED_FEATURES.has(feature)) throw new InvalidProblemError('pbf', `unsupported required feature ${feature}`);
  }, null);
}

interface PrimitiveBlock {
  strings: string[];
  groups: Uint8Array[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
}

function readPrimitiveBlock(bytes: Uint8Array, data: OsmData): void {
  const block = new PbfReader(bytes).readFields(
    (tag, b: PrimitiveBlock, pbf) => {
      if (tag === 1) b.strings = readStringTable(pbf.readBytes());
      else if (tag === 2) b.groups.push(pbf.readBytes());
      else if (tag === 17) b.granularity = pbf.readVarint();
      else if (tag === 19) b.latOffset = pbf.readVarint(true);
      else if (tag === 20) b.lonOffset = pbf.readVarint(true);
    },
    { strings: [], groups: [], granularity: 100, latOffset: 0, lonOffset: 0 },
  );
  // Groups are read after the whole block because the string table and granularity may follow them.
  for (const group of block.groups) {
    new PbfReader(group).readFields((tag, _: null, pbf) => {
      if (tag === 1) data.nodes.push(readNode(pbf.readBytes(), block));
      else if (tag === 2) readDenseNodes(pbf.readBytes(), block, data.nodes);
      else if (tag === 3) data.ways.push(readWay(pbf.readBytes(), block.strings));
    }, null);
  }
}

function readStringTable(bytes: Uint8Array): string[] {
  return new PbfReader(bytes).readFields((tag, strings: string[], pbf) => {
    if (tag === 1) strings.push(utf8.decode(pbf.readBytes()));
  }, []);
}

function degrees(offset: number, granularity: number, value: number): number {
  return (offset + granularity * value) / 1e9;
}

function readNode(bytes: Uint8Array, block: PrimitiveBlock): OsmNode {
  const raw = new PbfReader(bytes).readFields(
    (tag, n, pbf) => {
      if (tag === 1) n.id = pbf.readSVarint();
      else if (tag === 8) n.lat = pbf.readSVarint();
      else if (tag === 9) n.lon = pbf.readSVarint();
    },
    { id: 0, lat: 0, lon: 0 },
  );
  return {
    id: raw.id,
    lat: degrees(block.latOffset, block.granularity, raw.lat),
    lon: degrees(block.lonOffset, block.granularity, raw.lon),
  };
}

function readDenseNodes(bytes: Uint8Array, block: PrimitiveBlock, out: OsmNode[]): void {
  const dense = new PbfReader(bytes).readFields(
    (tag, d: { ids: number[]; lats: number[]; lons: number[] }, pbf) => {
      if (tag === 1) pbf.readPackedSVarint(d.ids);
      else if (tag === 8) pbf.readPackedSVarint(d.lats);
      else if (tag === 9) pbf.readPackedSVarint(d.lons);
    },
    { ids: [], lats: [], lons: [] },
  );
  let id = 0;
  let lat = 0;
  let lon = 0;
  for (let i = 0; i < dense.ids.length; i++) {
    id += dense.ids[i]!;
    lat += dense.lats[i]!;
    lon += dense.lons[i]!;
    out.push({
      id,
      lat: degrees(block.latOffset, block.granularity, lat),
      lon: degrees(block.lonOffset, block.granularity, lon),
    });
  }
}

function readWay(bytes: Uint8Array, strings: string[]): OsmWay {
  const raw = new PbfReader(bytes).readFields(
    (tag, w: { id: number; keys: number[]; vals: number[]; refs: number[] }, pbf) => {
      if (tag === 1) w.id = pbf.readVarint();
      else if (tag === 2) pbf.readPackedVarint(w.keys);
      else if (tag === 3) pbf.readPackedVarint(w.vals);
      else if (tag === 8) pbf.readPackedSVarint(w.refs);
    },
    { id: 0, keys: [], vals: [], refs: [] },
  );
  const tags: Record<string, string> = {};
  raw.keys.forEach((key, i) => (tags[strings[key]!] = strings[raw.vals[i]!]!));
  let ref = 0;
  const refs = raw.refs.map((delta) => (ref += delta));
  return { id: raw.id, tags, refs };
}
