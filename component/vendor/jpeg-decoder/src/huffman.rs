use alloc::borrow::ToOwned;
use alloc::vec;
use alloc::vec::Vec;
use core::iter;
use std::io::BufRead;
use crate::read_u8;
use crate::decoder::UNZIGZAG;
use crate::error::{Error, Result};
use crate::marker::Marker;
use crate::parser::ScanInfo;

// imgpipe: 10 bits instead of 8, so that most AC codes with their extra bits are decoded by one
// lookup in `ac_lut` (each table costs 6 KiB instead of 1.5 KiB).
const LUT_BITS: u8 = 10;

#[derive(Debug)]
pub struct HuffmanDecoder {
    bits: u64,
    num_bits: u8,
    marker: Option<Marker>,
}

impl HuffmanDecoder {
    pub fn new() -> HuffmanDecoder {
        HuffmanDecoder {
            bits: 0,
            num_bits: 0,
            marker: None,
        }
    }

    // Section F.2.2.3
    // Figure F.16
    pub fn decode<R: BufRead>(&mut self, reader: &mut R, table: &HuffmanTable) -> Result<u8> {
        if self.num_bits < 16 {
            self.read_bits(reader)?;
        }

        let (value, size) = table.lut[self.peek_bits(LUT_BITS) as usize];

        if size > 0 {
            self.consume_bits(size);
            Ok(value)
        }
        else {
            let bits = self.peek_bits(16);

            for i in LUT_BITS .. 16 {
                let code = (bits >> (15 - i)) as i32;

                if code <= table.maxcode[i as usize] {
                    self.consume_bits(i + 1);

                    let index = (code + table.delta[i as usize]) as usize;
                    return Ok(table.values[index]);
                }
            }

            Err(Error::Format("failed to decode huffman code".to_owned()))
        }
    }

    pub fn decode_fast_ac<R: BufRead>(&mut self, reader: &mut R, table: &HuffmanTable) -> Result<Option<(i16, u8)>> {
        if let Some(ref ac_lut) = table.ac_lut {
            if self.num_bits < LUT_BITS {
                self.read_bits(reader)?;
            }

            let (value, run_size) = ac_lut[self.peek_bits(LUT_BITS) as usize];

            if run_size != 0 {
                let run = run_size >> 4;
                let size = run_size & 0x0f;

                self.consume_bits(size);
                return Ok(Some((value, run)));
            }
        }

        Ok(None)
    }

    /// imgpipe: decodes one whole baseline block (DC, then AC 1 to 63, no successive
    /// approximation) with the bit buffer held in locals and the entropy-coded bytes read
    /// straight from the reader's buffer, the way libjpeg-turbo's `decode_mcu_fast` does: the
    /// general path keeps that state behind `&mut self` and re-reads it for every code.
    ///
    /// Returns `false` when it cannot finish the block: fewer than [`FAST_BLOCK_BYTES`]
    /// buffered, a marker among the bytes it needs, or a code it leaves to the general path
    /// (one the table does not hold, an out-of-range category, an end-of-band run). Then the
    /// decoder's state, the reader and the DC predictor are untouched, and the only writes
    /// made are AC coefficients that the general path, decoding the same block again from the
    /// same bits, writes again with the same values before reaching that spot.
    pub fn decode_baseline_block<R: BufRead>(
        &mut self,
        reader: &mut R,
        coefficients: &mut [i16; 64],
        dc_table: &HuffmanTable,
        ac_table: &HuffmanTable,
        dc_predictor: &mut i16,
    ) -> Result<bool> {
        let Some(ac_lut) = ac_table.ac_lut.as_ref() else {
            return Ok(false);
        };
        if self.marker.is_some() {
            return Ok(false);
        }
        let data = reader.fill_buf()?;
        if data.len() < FAST_BLOCK_BYTES {
            return Ok(false);
        }
        let mut bits = self.bits;
        let mut num_bits = u32::from(self.num_bits);
        let mut pos = 0;

        // DC: a code of at most 16 bits and at most 11 extra bits.
        if num_bits < 32 && !refill(data, &mut pos, &mut bits, &mut num_bits) {
            return Ok(false);
        }
        let Some((category, length)) = dc_table.lookup(bits) else {
            return Ok(false);
        };
        if category > 11 {
            return Ok(false);
        }
        bits <<= length;
        num_bits -= u32::from(length);
        let diff = take_extended(&mut bits, &mut num_bits, category);

        // AC: each step takes at most a 16-bit code and 10 extra bits, so 26 bits suffice.
        let mut index = 1u32;
        while index < 64 {
            if num_bits < 26 && !refill(data, &mut pos, &mut bits, &mut num_bits) {
                return Ok(false);
            }
            let peek = (bits >> (64 - LUT_BITS)) as usize;
            let (value, run_size) = ac_lut[peek];
            if run_size != 0 {
                // Code and extra bits in one lookup; the value 0 is end-of-block or 16 zeros.
                let size = u32::from(run_size & 0x0f);
                let run = u32::from(run_size >> 4);
                bits <<= size;
                num_bits -= size;
                if value == 0 {
                    if run == 0 {
                        break;
                    }
                    index += 16;
                    continue;
                }
                index += run;
                if index >= 64 {
                    break;
                }
                coefficients[usize::from(UNZIGZAG[index as usize])] = value;
                index += 1;
                continue;
            }
            let Some((symbol, length)) = ac_table.lookup(bits) else {
                return Ok(false);
            };
            bits <<= length;
            num_bits -= u32::from(length);
            let run = u32::from(symbol >> 4);
            let size = symbol & 0x0f;
            if size == 0 {
                match run {
                    0 => break,
                    15 => {
                        index += 16;
                        continue;
                    }
                    // An end-of-band run, which only progressive scans may use.
                    _ => return Ok(false),
                }
            }
            index += run;
            if index >= 64 {
                break;
            }
            if num_bits < u32::from(size) && !refill(data, &mut pos, &mut bits, &mut num_bits) {
                return Ok(false);
            }
            coefficients[usize::from(UNZIGZAG[index as usize])] =
                take_extended(&mut bits, &mut num_bits, size);
            index += 1;
        }

        *dc_predictor = dc_predictor.wrapping_add(diff);
        coefficients[0] = *dc_predictor;
        self.bits = bits;
        self.num_bits = num_bits as u8;
        reader.consume(pos);
        Ok(true)
    }

    #[inline]
    pub fn get_bits<R: BufRead>(&mut self, reader: &mut R, count: u8) -> Result<u16> {
        if self.num_bits < count {
            self.read_bits(reader)?;
        }

        let bits = self.peek_bits(count);
        self.consume_bits(count);

        Ok(bits)
    }

    #[inline]
    pub fn receive_extend<R: BufRead>(&mut self, reader: &mut R, count: u8) -> Result<i16> {
        let value = self.get_bits(reader, count)?;
        Ok(extend(value, count))
    }

    /// imgpipe: the AC part of one block of a successive-approximation refinement scan
    /// (section G.1.2.3, figure G.7): new coefficients of magnitude `bit` and one correction
    /// bit for every nonzero coefficient passed on the way.
    ///
    /// The published crate walked the band one coefficient at a time, calling `get_bits(1)`
    /// for each nonzero one; on a camera photo that walk was most of a progressive decode in
    /// wasm. Here the block's nonzero coefficients are one 64-bit mask in zigzag order, runs of
    /// zeros are found with bit operations, and only the nonzero coefficients are visited. The
    /// bits read, the coefficients written and the errors are the published crate's.
    ///
    /// Not inlined: the scan loop that calls it is also the baseline decoder's hot loop, and
    /// this code inlined there would change how that whole function is compiled for every
    /// JPEG, for a call per block that costs little next to the block's work.
    #[inline(never)]
    pub fn refine_ac_block<R: BufRead>(
        &mut self,
        reader: &mut R,
        coefficients: &mut [i16; 64],
        table: &HuffmanTable,
        band: core::ops::Range<u8>,
        bit: i16,
        eob_run: &mut u16,
    ) -> Result<()> {
        let mut nonzero = nonzero_zigzag_mask(coefficients);
        if *eob_run > 0 {
            *eob_run -= 1;
            self.refine_non_zeroes(reader, coefficients, nonzero, (band.start, band.end), 64, bit)?;
            return Ok(());
        }
        let mut index = band.start;
        while index < band.end {
            let byte = self.decode(reader, table)?;
            let r = byte >> 4;
            let s = byte & 0x0f;
            let mut zero_run_length = r;
            let mut value = 0;
            match s {
                // Sixteen zeros (r = 15): the run of 15 and the zero `value` written below.
                0 if r == 15 => {}
                0 => {
                    *eob_run = (1 << r) - 1;
                    if r > 0 {
                        *eob_run += self.get_bits(reader, r)?;
                    }
                    // End of block.
                    zero_run_length = 64;
                }
                1 => value = if self.get_bits(reader, 1)? == 1 { bit } else { -bit },
                _ => return Err(Error::Format("unexpected huffman code".to_owned())),
            }
            index = self.refine_non_zeroes(reader, coefficients, nonzero, (index, band.end), zero_run_length, bit)?;
            if value != 0 {
                coefficients[UNZIGZAG[usize::from(index) & 63] as usize] = value;
                nonzero |= 1 << (index & 63);
            }
            index += 1;
        }
        Ok(())
    }

    /// imgpipe: reads a correction bit for each nonzero coefficient (`nonzero`, zigzag order)
    /// from `start` up to the `zrl + 1`th zero one, whose position it returns (`end - 1` when
    /// the band holds fewer zeros), and moves each coefficient whose bit is set and which lacks
    /// `bit` one `bit` further from zero.
    #[inline(always)]
    fn refine_non_zeroes<R: BufRead>(
        &mut self,
        reader: &mut R,
        coefficients: &mut [i16; 64],
        nonzero: u64,
        (start, end): (u8, u8),
        zrl: u8,
        bit: i16,
    ) -> Result<u8> {
        let band = zigzag_range(start, end);
        let zeros = !nonzero & band;
        let (stop, returned) = if u32::from(zrl) < zeros.count_ones() {
            let at = nth_set_bit(zeros, u32::from(zrl));
            (at, at)
        } else {
            (end, end.wrapping_sub(1))
        };
        let mut todo = nonzero & zigzag_range(start, stop);
        let (mut bits, mut num_bits) = (self.bits, self.num_bits);
        while todo != 0 {
            let index = UNZIGZAG[todo.trailing_zeros() as usize] as usize;
            todo &= todo - 1;
            if num_bits == 0 {
                (self.bits, self.num_bits) = (bits, num_bits);
                self.read_bits(reader)?;
                (bits, num_bits) = (self.bits, self.num_bits);
            }
            let set = (bits >> 63) as i16;
            bits <<= 1;
            num_bits -= 1;
            let coefficient = coefficients[index];
            // Branch-free: whether the bit is set is a coin flip on camera noise.
            let refine = set & i16::from(coefficient & bit == 0);
            let sign = coefficient >> 15;
            let delta = ((bit * refine) ^ sign) - sign;
            match i16::try_from(i32::from(coefficient) + i32::from(delta)) {
                Ok(value) => coefficients[index] = value,
                Err(_) => {
                    (self.bits, self.num_bits) = (bits, num_bits);
                    return Err(Error::Format("Coefficient overflow".to_owned()));
                }
            }
        }
        (self.bits, self.num_bits) = (bits, num_bits);
        Ok(returned)
    }

    pub fn reset(&mut self) {
        self.bits = 0;
        self.num_bits = 0;
    }

    pub fn take_marker<R: BufRead>(&mut self, reader: &mut R) -> Result<Option<Marker>> {
        self.read_bits(reader).map(|_| self.marker.take())
    }

    #[inline]
    fn peek_bits(&mut self, count: u8) -> u16 {
        debug_assert!(count <= 16);
        debug_assert!(self.num_bits >= count);

        ((self.bits >> (64 - count)) & ((1 << count) - 1)) as u16
    }

    #[inline]
    fn consume_bits(&mut self, count: u8) {
        debug_assert!(self.num_bits >= count);

        self.bits <<= count as usize;
        self.num_bits -= count;
    }

    fn read_bits<R: BufRead>(&mut self, reader: &mut R) -> Result<()> {
        // imgpipe: the fast path. When the next eight bytes hold no 0xFF there is neither byte
        // stuffing nor a marker among them, so every whole byte that fits in the bit buffer is
        // taken with one load instead of one `read_exact` each.
        if self.marker.is_none() && self.num_bits <= 56 {
            let mut num_bits = u32::from(self.num_bits);
            if let Some(count) = fill_from_word(reader.fill_buf()?, &mut self.bits, &mut num_bits) {
                self.num_bits = num_bits as u8;
                reader.consume(count);
                return Ok(());
            }
        }

        while self.num_bits <= 56 {
            // Fill with zero bits if we have reached the end.
            let byte = match self.marker {
                Some(_) => 0,
                None => read_u8(reader)?,
            };

            if byte == 0xFF {
                let mut next_byte = read_u8(reader)?;

                // Check for byte stuffing.
                if next_byte != 0x00 {
                    // We seem to have reached the end of entropy-coded data and encountered a
                    // marker. Since we can't put data back into the reader, we have to continue
                    // reading to identify the marker so we can pass it on.

                    // Section B.1.1.2
                    // "Any marker may optionally be preceded by any number of fill bytes, which are bytes assigned code X’FF’."
                    while next_byte == 0xFF {
                        next_byte = read_u8(reader)?;
                    }

                    match next_byte {
                        0x00 => return Err(Error::Format("FF 00 found where marker was expected".to_owned())),
                        _    => self.marker = Some(Marker::from_u8(next_byte).unwrap()),
                    }

                    continue;
                }
            }

            self.bits |= (byte as u64) << (56 - self.num_bits);
            self.num_bits += 8;
        }

        Ok(())
    }
}

/// imgpipe: the bits `start..end` (`end` at most 64) of a zigzag-order mask.
#[inline]
fn zigzag_range(start: u8, end: u8) -> u64 {
    let below = |n: u8| if n >= 64 { u64::MAX } else { (1u64 << n) - 1 };
    below(end) & !below(start)
}

/// imgpipe: the position of the `n`th (from 0) set bit of `x`, which has more than `n`: a
/// binary search by population counts, without a loop (a loop's back edge costs an epoch check
/// in wasmtime).
#[inline]
fn nth_set_bit(mut x: u64, mut n: u32) -> u8 {
    let mut at = 0;
    for width in [32, 16, 8, 4, 2, 1] {
        let low = x & ((1u64 << width) - 1);
        let count = low.count_ones();
        let above = n >= count;
        n -= if above { count } else { 0 };
        x = if above { x >> width } else { low };
        at += if above { width } else { 0 };
    }
    at
}

/// imgpipe: bit `k` set when the coefficient at zigzag position `k` is nonzero.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128", not(feature = "platform_independent")))]
#[inline]
fn nonzero_zigzag_mask(coefficients: &[i16; 64]) -> u64 {
    use std::arch::wasm32::*;
    /// `ZIGZAG_SWIZZLE[o][j][t]`: where zigzag position `16 * o + t` lies in the natural-order
    /// bytes `16 * j..16 * j + 16`, or 0x80 (a swizzle gives zero) when elsewhere.
    const ZIGZAG_SWIZZLE: [[[u8; 16]; 4]; 4] = {
        let mut table = [[[0x80u8; 16]; 4]; 4];
        let mut k = 0;
        while k < 64 {
            let natural = UNZIGZAG[k] as usize;
            table[k / 16][natural / 16][k % 16] = (natural % 16) as u8;
            k += 1;
        }
        table
    };
    let zero = i16x8_splat(0);
    let lanes: [v128; 8] = core::array::from_fn(|i| {
        let eight = &coefficients[8 * i..8 * i + 8];
        let row = i16x8(eight[0], eight[1], eight[2], eight[3], eight[4], eight[5], eight[6], eight[7]);
        i16x8_ne(row, zero)
    });
    // Natural order, one byte (0 or -1) per coefficient.
    let bytes: [v128; 4] = core::array::from_fn(|j| i8x16_narrow_i16x8(lanes[2 * j], lanes[2 * j + 1]));
    let mut mask = 0u64;
    for (o, row) in ZIGZAG_SWIZZLE.iter().enumerate() {
        let mut zigzag = i8x16_splat(0);
        for (j, order) in row.iter().enumerate() {
            let order = u8x16(
                order[0], order[1], order[2], order[3], order[4], order[5], order[6], order[7],
                order[8], order[9], order[10], order[11], order[12], order[13], order[14], order[15],
            );
            zigzag = v128_or(zigzag, i8x16_swizzle(bytes[j], order));
        }
        mask |= u64::from(i8x16_bitmask(zigzag)) << (16 * o);
    }
    mask
}

/// imgpipe: bit `k` set when the coefficient at zigzag position `k` is nonzero.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128", not(feature = "platform_independent"))))]
#[inline]
fn nonzero_zigzag_mask(coefficients: &[i16; 64]) -> u64 {
    UNZIGZAG
        .iter()
        .enumerate()
        .fold(0, |mask, (k, &natural)| mask | u64::from(coefficients[natural as usize] != 0) << k)
}

/// imgpipe: the bytes [`HuffmanDecoder::decode_baseline_block`] wants buffered before it
/// starts, so that no block can run out: 64 codes of at most 26 bits each, doubled for byte
/// stuffing, come to 416 bytes.
const FAST_BLOCK_BYTES: usize = 512;

/// imgpipe: tops up a bit buffer held in locals to more than 56 bits from `data[*pos..]`: eight
/// bytes at once when none is 0xFF, else byte by byte, taking 0xFF 0x00 as 0xFF. Returns
/// `false`, with the three values as they were, at a marker or at the end of `data`; the caller
/// then gives up the block.
#[inline(always)]
fn refill(data: &[u8], pos: &mut usize, bits: &mut u64, num_bits: &mut u32) -> bool {
    if let Some(count) = data.get(*pos..).and_then(|ahead| fill_from_word(ahead, bits, num_bits)) {
        *pos += count;
        return true;
    }
    // By value: were the locals' addresses passed to a function that is not inlined, the
    // compiler would keep them in memory (in wasm, the shadow stack in linear memory) for the
    // whole block loop, with a load and a store on every code decoded.
    match refill_bytewise(data, *pos, *bits, *num_bits) {
        Some((p, b, n)) => {
            (*pos, *bits, *num_bits) = (p, b, n);
            true
        }
        None => false,
    }
}

/// imgpipe: when the first eight bytes of `ahead` hold no 0xFF (so neither byte stuffing nor a
/// marker), puts as many whole bytes of them as fit into the bit buffer, with one load, and
/// returns how many; `*num_bits` must be at most 56. `None` when they do, or `ahead` is short.
#[inline(always)]
fn fill_from_word(ahead: &[u8], bits: &mut u64, num_bits: &mut u32) -> Option<usize> {
    let word = u64::from_be_bytes(*ahead.first_chunk::<8>()?);
    if has_ff_byte(word) {
        return None;
    }
    let count = (64 - *num_bits) / 8;
    let fresh = 8 * count;
    // The top `fresh` bits of `word`, placed just below the bits already held.
    *bits |= (word >> (64 - fresh)) << (64 - fresh - *num_bits);
    *num_bits += fresh;
    Some(count as usize)
}

/// imgpipe: [`refill`] near a 0xFF byte or the end of `data`: the new read position, bits and
/// count, or `None` at a marker or the end. Out of line, so that its loop does not crowd the
/// registers of the block loop.
#[cold]
#[inline(never)]
fn refill_bytewise(
    data: &[u8],
    mut pos: usize,
    mut bits: u64,
    mut num_bits: u32,
) -> Option<(usize, u64, u32)> {
    while num_bits <= 56 {
        let &byte = data.get(pos)?;
        if byte == 0xFF {
            if data.get(pos + 1) != Some(&0) {
                return None;
            }
            pos += 2;
        } else {
            pos += 1;
        }
        bits |= u64::from(byte) << (56 - num_bits);
        num_bits += 8;
    }
    Some((pos, bits, num_bits))
}

/// imgpipe: takes `count` (at most 16) extra bits from the top of `bits` and sign-extends
/// them (Figure F.12); `count` 0 is the value 0.
#[inline(always)]
fn take_extended(bits: &mut u64, num_bits: &mut u32, count: u8) -> i16 {
    if count == 0 {
        return 0;
    }
    let value = (*bits >> (64 - u32::from(count))) as u16;
    *bits <<= count;
    *num_bits -= u32::from(count);
    extend(value, count)
}

/// Whether any byte of `word` is 0xFF: a byte is 0xFF exactly when the same byte of `!word` is
/// zero, which the classic SWAR zero-byte test finds.
#[inline]
fn has_ff_byte(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let inverted = !word;
    inverted.wrapping_sub(ONES) & !inverted & HIGHS != 0
}

// Section F.2.2.1
// Figure F.12
fn extend(value: u16, count: u8) -> i16 {
    let vt = 1 << (count as u16 - 1);

    if value < vt {
        value as i16 + (-1 << count as i16) + 1
    } else {
        value as i16
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HuffmanTableClass {
    DC,
    AC,
}

pub struct HuffmanTable {
    values: Vec<u8>,
    delta: [i32; 16],
    maxcode: [i32; 16],

    lut: [(u8, u8); 1 << LUT_BITS],
    ac_lut: Option<[(i16, u8); 1 << LUT_BITS]>,
}

impl HuffmanTable {
    pub fn new(bits: &[u8; 16], values: &[u8], class: HuffmanTableClass) -> Result<HuffmanTable> {
        let (huffcode, huffsize) = derive_huffman_codes(bits)?;

        // Section F.2.2.3
        // Figure F.15
        // delta[i] is set to VALPTR(I) - MINCODE(I)
        let mut delta = [0i32; 16];
        let mut maxcode = [-1i32; 16];
        let mut j = 0;

        for i in 0 .. 16 {
            if bits[i] != 0 {
                delta[i] = j as i32 - huffcode[j] as i32;
                j += bits[i] as usize;
                maxcode[i] = huffcode[j - 1] as i32;
            }
        }

        // Build a lookup table for faster decoding.
        let mut lut = [(0u8, 0u8); 1 << LUT_BITS];

        for (i, &size) in huffsize.iter().enumerate().filter(|&(_, &size)| size <= LUT_BITS) {
            let bits_remaining = LUT_BITS - size;
            let start = (huffcode[i] << bits_remaining) as usize;

            let val = (values[i], size);
            for b in &mut lut[start..][..1 << bits_remaining] {
                *b = val;
            }
        }

        // Build a lookup table for small AC coefficients which both decodes the value and does the
        // equivalent of receive_extend.
        let ac_lut = match class {
            HuffmanTableClass::DC => None,
            HuffmanTableClass::AC => {
                let mut table = [(0i16, 0u8); 1 << LUT_BITS];

                for (i, &(value, size)) in lut.iter().enumerate() {
                    let run_length = value >> 4;
                    let magnitude_category = value & 0x0f;

                    // imgpipe: end-of-block and the run of 16 zeros are looked up too, with
                    // the value 0 that no coefficient has (a coefficient's magnitude is at
                    // least 1): they end or extend nearly every block.
                    if size > 0 && magnitude_category == 0 && (run_length == 0 || run_length == 15) {
                        table[i] = (0, (run_length << 4) | size);
                    } else if magnitude_category > 0 && size + magnitude_category <= LUT_BITS {
                        let unextended_ac_value = (((i << size) & ((1 << LUT_BITS) - 1)) >> (LUT_BITS - magnitude_category)) as u16;
                        let ac_value = extend(unextended_ac_value, magnitude_category);

                        table[i] = (ac_value, (run_length << 4) | (size + magnitude_category));
                    }
                }

                Some(table)
            },
        };

        Ok(HuffmanTable {
            values: values.to_vec(),
            delta,
            maxcode,
            lut,
            ac_lut,
        })
    }
}

impl HuffmanTable {
    /// imgpipe: the symbol and code length of the code at the top of `bits` (at least 16
    /// valid bits): the lookup table, else the canonical-code search of Figure F.16. `None`
    /// for a code the table does not hold.
    #[inline(always)]
    fn lookup(&self, bits: u64) -> Option<(u8, u8)> {
        let (value, size) = self.lut[(bits >> (64 - LUT_BITS)) as usize];
        if size > 0 {
            return Some((value, size));
        }
        let top = (bits >> 48) as u16;
        for i in LUT_BITS..16 {
            let code = i32::from(top >> (15 - i));
            if code <= self.maxcode[usize::from(i)] {
                let index = (code + self.delta[usize::from(i)]) as usize;
                return self.values.get(index).map(|&value| (value, i + 1));
            }
        }
        None
    }
}

// Section C.2
fn derive_huffman_codes(bits: &[u8; 16]) -> Result<(Vec<u16>, Vec<u8>)> {
    // Figure C.1
    let huffsize = bits.iter()
                       .enumerate()
                       .fold(Vec::new(), |mut acc, (i, &value)| {
                           acc.extend(iter::repeat((i + 1) as u8).take(value as usize));
                           acc
                       });

    // Figure C.2
    let mut huffcode = vec![0u16; huffsize.len()];
    let mut code_size = huffsize[0];
    let mut code = 0u32;

    for (i, &size) in huffsize.iter().enumerate() {
        while code_size < size {
            code <<= 1;
            code_size += 1;
        }

        if code >= (1u32 << size) {
            return Err(Error::Format("bad huffman code length".to_owned()));
        }

        huffcode[i] = code as u16;
        code += 1;
    }

    Ok((huffcode, huffsize))
}

// https://www.loc.gov/preservation/digital/formats/fdd/fdd000063.shtml
// "Avery Lee, writing in the rec.video.desktop newsgroup in 2001, commented that "MJPEG, or at
//  least the MJPEG in AVIs having the MJPG fourcc, is restricted JPEG with a fixed -- and
//  *omitted* -- Huffman table. The JPEG must be YCbCr colorspace, it must be 4:2:2, and it must
//  use basic Huffman encoding, not arithmetic or progressive.... You can indeed extract the
//  MJPEG frames and decode them with a regular JPEG decoder, but you have to prepend the DHT
//  segment to them, or else the decoder won't have any idea how to decompress the data.
//  The exact table necessary is given in the OpenDML spec.""
pub fn fill_default_mjpeg_tables(scan: &ScanInfo,
                                 dc_huffman_tables: &mut[Option<HuffmanTable>],
                                 ac_huffman_tables: &mut[Option<HuffmanTable>]) {
    // Section K.3.3

    if dc_huffman_tables[0].is_none() && scan.dc_table_indices.iter().any(|&i| i == 0) {
        // Table K.3
        dc_huffman_tables[0] = Some(HuffmanTable::new(
            &[0x00, 0x01, 0x05, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
            &[0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B], HuffmanTableClass::DC).unwrap());
    }
    if dc_huffman_tables[1].is_none() && scan.dc_table_indices.iter().any(|&i| i == 1) {
        // Table K.4
        dc_huffman_tables[1] = Some(HuffmanTable::new(
            &[0x00, 0x03, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00],
            &[0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B], HuffmanTableClass::DC).unwrap());
    }
    if ac_huffman_tables[0].is_none() && scan.ac_table_indices.iter().any(|&i| i == 0) {
        // Table K.5
        ac_huffman_tables[0] = Some(HuffmanTable::new(
            &[0x00, 0x02, 0x01, 0x03, 0x03, 0x02, 0x04, 0x03, 0x05, 0x05, 0x04, 0x04, 0x00, 0x00, 0x01, 0x7D],
            &[0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
              0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0,
              0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28,
              0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
              0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
              0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
              0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
              0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5,
              0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2,
              0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8,
              0xF9, 0xFA
            ], HuffmanTableClass::AC).unwrap());
    }
    if ac_huffman_tables[1].is_none() && scan.ac_table_indices.iter().any(|&i| i == 1) {
        // Table K.6
        ac_huffman_tables[1] = Some(HuffmanTable::new(
            &[0x00, 0x02, 0x01, 0x02, 0x04, 0x04, 0x03, 0x04, 0x07, 0x05, 0x04, 0x04, 0x00, 0x01, 0x02, 0x77],
            &[0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
              0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0,
              0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26,
              0x27, 0x28, 0x29, 0x2A, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
              0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
              0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
              0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5,
              0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3,
              0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA,
              0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8,
              0xF9, 0xFA
            ], HuffmanTableClass::AC).unwrap());
    }
}
