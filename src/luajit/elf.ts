/**
 * Just enough ELF reading to say whether a shared library carries symbols (.symtab) and debug
 * information (.debug_info): Debian ships LuaJIT stripped, so perf can name none of its functions.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface ElfSymbols {
  /** A full symbol table (.symtab): every function has a name, not only the exported ones. */
  symtab: boolean;
  /** DWARF debug information (.debug_info), e.g. for source lines. */
  debugInfo: boolean;
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, offset);
  return buf.subarray(0, n);
}

/** Section names of a 64-bit little-endian ELF file; null when the file is not one. */
export function elfSectionNames(file: string): string[] | null {
  const fd = openSync(file, 'r');
  try {
    const h = readAt(fd, 0, 64);
    // \x7fELF, ELFCLASS64, ELFDATA2LSB
    if (h.length < 64 || h.readUInt32BE(0) !== 0x7f454c46 || h[4] !== 2 || h[5] !== 1) return null;
    const shoff = Number(h.readBigUInt64LE(0x28));
    const shentsize = h.readUInt16LE(0x3a);
    const shnum = h.readUInt16LE(0x3c);
    const shstrndx = h.readUInt16LE(0x3e);
    if (shoff === 0 || shnum === 0 || shstrndx >= shnum || shentsize < 64) return null;
    const table = readAt(fd, shoff, shentsize * shnum);
    const header = (i: number) => table.subarray(i * shentsize, (i + 1) * shentsize);
    const strHeader = header(shstrndx);
    const names = readAt(fd, Number(strHeader.readBigUInt64LE(0x18)), Number(strHeader.readBigUInt64LE(0x20)));
    const out: string[] = [];
    for (let i = 0; i < shnum; i++) {
      const at = header(i).readUInt32LE(0);
      const end = names.indexOf(0, at);
      out.push(names.subarray(at, end < 0 ? undefined : end).toString('latin1'));
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

export function elfSymbols(file: string): ElfSymbols | null {
  try {
    const names = elfSectionNames(file);
    return names ? { symtab: names.includes('.symtab'), debugInfo: names.includes('.debug_info') } : null;
  } catch {
    return null;
  }
}
