use core::arch::wasm32::*;

use crate::compat::*;
use crate::convolution::optimisations::Normalizer16;
use crate::pixels::U8;
use crate::{wasm32_utils, ImageView, ImageViewMut};

#[inline]
pub(crate) fn horiz_convolution(
    src_view: &impl ImageView<Pixel = U8>,
    dst_view: &mut impl ImageViewMut<Pixel = U8>,
    offset: u32,
    normalizer: &Normalizer16,
) {
    let dst_height = dst_view.height();

    // imgpipe: every output pixel's taps, zero-padded to 16, when it has at most 16 and the
    // 16 source pixels from its first one lie inside the row: such pixels go four at a time
    // through `horiz_four_pixels_four_rows`, with one load per row for each.
    let row_len = src_view.width() as usize;
    let padded: Vec<Option<[i16; 16]>> = normalizer
        .chunks()
        .iter()
        .map(|chunk| {
            let values = chunk.values();
            (values.len() <= 16 && chunk.start as usize + 16 <= row_len).then(|| {
                let mut taps = [0i16; 16];
                taps[..values.len()].copy_from_slice(values);
                taps
            })
        })
        .collect();

    let src_iter = src_view.iter_4_rows(offset, dst_height + offset);
    let dst_iter = dst_view.iter_4_rows_mut();
    for (src_rows, dst_rows) in src_iter.zip(dst_iter) {
        unsafe {
            horiz_convolution_four_rows_padded(src_rows, dst_rows, normalizer, &padded);
        }
    }

    let yy = dst_height - dst_height % 4;
    let src_rows = src_view.iter_rows(yy + offset);
    let dst_rows = dst_view.iter_rows_mut(yy);
    for (src_row, dst_row) in src_rows.zip(dst_rows) {
        unsafe {
            horiz_convolution_one_row(src_row, dst_row, normalizer);
        }
    }
}

/// imgpipe: [`horiz_convolution_four_rows`], four output pixels at a time wherever all four
/// have `padded` taps: for each row, each pixel's 16 source bytes are one load, two widenings
/// and two dot products, and the four pixels' partial sums are added across by shuffles into
/// one vector, shifted, and narrowed with saturation (the same clamp as `Normalizer16::clip`,
/// for the sums it allows). The same integer sums as the per-pixel loop, so the same pixels.
/// Other groups of four go through that loop.
///
/// Safety: as for [`horiz_convolution_four_rows`], and `padded.len()` is the number of
/// chunks, each `Some` only for a chunk whose 16 source pixels from `start` are in the rows.
#[inline]
#[target_feature(enable = "simd128")]
unsafe fn horiz_convolution_four_rows_padded(
    src_rows: [&[U8]; 4],
    mut dst_rows: [&mut [U8]; 4],
    normalizer: &Normalizer16,
    padded: &[Option<[i16; 16]>],
) {
    let initial = i32x4_splat(1 << (normalizer.precision() - 1));
    let precision = u32::from(normalizer.precision());
    let chunks = normalizer.chunks();
    let mut dst_x = 0;
    while dst_x + 4 <= chunks.len() {
        let group = padded.get_unchecked(dst_x..dst_x + 4);
        if let [Some(t0), Some(t1), Some(t2), Some(t3)] = group {
            let taps = [t0, t1, t2, t3].map(|t| {
                (
                    v128_load(t.as_ptr() as *const v128),
                    v128_load(t.as_ptr().add(8) as *const v128),
                )
            });
            let starts = [0, 1, 2, 3].map(|k| chunks.get_unchecked(dst_x + k).start as usize);
            let rows = [0, 1, 2, 3].map(|i| {
                let row = src_rows[i];
                let sums = [0, 1, 2, 3].map(|k| {
                    let pixels = v128_load(row.as_ptr().add(starts[k]) as *const v128);
                    let (low, high) = taps[k];
                    i32x4_add(
                        i32x4_dot_i16x8(u16x8_extend_low_u8x16(pixels), low),
                        i32x4_dot_i16x8(u16x8_extend_high_u8x16(pixels), high),
                    )
                });
                // Lane k of the result: the sum of the four lanes of sums[k].
                let s01 = i32x4_add(
                    i32x4_shuffle::<0, 4, 1, 5>(sums[0], sums[1]),
                    i32x4_shuffle::<2, 6, 3, 7>(sums[0], sums[1]),
                );
                let s23 = i32x4_add(
                    i32x4_shuffle::<0, 4, 1, 5>(sums[2], sums[3]),
                    i32x4_shuffle::<2, 6, 3, 7>(sums[2], sums[3]),
                );
                let total = i32x4_add(
                    i32x4_shuffle::<0, 1, 4, 5>(s01, s23),
                    i32x4_shuffle::<2, 3, 6, 7>(s01, s23),
                );
                i32x4_shr(i32x4_add(total, initial), precision)
            });
            let bytes = u8x16_narrow_i16x8(
                i16x8_narrow_i32x4(rows[0], rows[1]),
                i16x8_narrow_i32x4(rows[2], rows[3]),
            );
            let words = [
                i32x4_extract_lane::<0>(bytes),
                i32x4_extract_lane::<1>(bytes),
                i32x4_extract_lane::<2>(bytes),
                i32x4_extract_lane::<3>(bytes),
            ];
            for (row, word) in dst_rows.iter_mut().zip(words) {
                let out = row.get_unchecked_mut(dst_x..dst_x + 4).as_mut_ptr() as *mut i32;
                out.write_unaligned(word);
            }
        } else {
            for k in dst_x..dst_x + 4 {
                horiz_one_pixel_four_rows(&src_rows, &mut dst_rows, normalizer, k);
            }
        }
        dst_x += 4;
    }
    for k in dst_x..chunks.len() {
        horiz_one_pixel_four_rows(&src_rows, &mut dst_rows, normalizer, k);
    }
}

/// imgpipe: output pixel `dst_x` of four rows, by the crate's loop (below).
#[inline]
#[target_feature(enable = "simd128")]
unsafe fn horiz_one_pixel_four_rows(
    src_rows: &[&[U8]; 4],
    dst_rows: &mut [&mut [U8]; 4],
    normalizer: &Normalizer16,
    dst_x: usize,
) {
    let [d0, d1, d2, d3] = dst_rows;
    horiz_convolution_four_rows(
        *src_rows,
        [
            d0.get_unchecked_mut(dst_x..=dst_x),
            d1.get_unchecked_mut(dst_x..=dst_x),
            d2.get_unchecked_mut(dst_x..=dst_x),
            d3.get_unchecked_mut(dst_x..=dst_x),
        ],
        normalizer,
        dst_x,
    );
}

/// For safety, it is necessary to ensure the following conditions:
/// - length of all rows in src_rows must be equal
/// - length of all rows in dst_rows must be equal
/// - coefficients_chunks.len() == dst_rows.0.len()
/// - max(chunk.start + chunk.values.len() for chunk in coefficients_chunks) <= src_row.0.len()
/// - precision <= MAX_COEFS_PRECISION
#[inline]
#[target_feature(enable = "simd128")]
unsafe fn horiz_convolution_four_rows(
    src_rows: [&[U8]; 4],
    dst_rows: [&mut [U8]; 4],
    normalizer: &Normalizer16,
    // imgpipe: the chunk of the first pixel of `dst_rows` (they hold fewer than a row).
    first: usize,
) {
    const ZERO: v128 = i64x2(0, 0);
    let initial = 1 << (normalizer.precision() - 1);
    let mut buf = [0, 0, 0, 0, initial];
    let coefficients_chunks = normalizer
        .chunks()
        .get_unchecked(first..first + dst_rows[0].len());

    for (dst_x, coeffs_chunk) in coefficients_chunks.iter().enumerate() {
        let coeffs = coeffs_chunk.values();
        let mut x = coeffs_chunk.start as usize;
        let mut result_i32x4 = [ZERO, ZERO, ZERO, ZERO];

        let coeffs_by_8 = coeffs.chunks_exact(8);
        let reminder8 = coeffs_by_8.remainder();
        for k in coeffs_by_8 {
            let coeffs_i16x8 = v128_load(k.as_ptr() as *const v128);
            for i in 0..4 {
                let pixels_u8x8 = wasm32_utils::loadl_i64(src_rows[i], x);
                let pixels_i16x8 = u16x8_extend_low_u8x16(pixels_u8x8);
                result_i32x4[i] =
                    i32x4_add(result_i32x4[i], i32x4_dot_i16x8(pixels_i16x8, coeffs_i16x8));
            }
            x += 8;
        }

        let mut coeffs_by_4 = reminder8.chunks_exact(4);
        let reminder4 = coeffs_by_4.remainder();
        if let Some(k) = coeffs_by_4.next() {
            let coeffs_i16x4 = wasm32_utils::loadl_i64(k, 0);
            for i in 0..4 {
                let pixels_u8x4 = wasm32_utils::loadl_i32(src_rows[i], x);
                let pixels_i16x4 = u16x8_extend_low_u8x16(pixels_u8x4);
                result_i32x4[i] =
                    i32x4_add(result_i32x4[i], i32x4_dot_i16x8(pixels_i16x4, coeffs_i16x4));
            }
            x += 4;
        }

        let mut result_i32x4 = result_i32x4.map(|v| {
            v128_store(buf.as_mut_ptr() as *mut v128, v);
            buf.iter().sum()
        });

        for &coeff in reminder4 {
            let coeff_i32 = coeff as i32;
            for i in 0..4 {
                result_i32x4[i] += src_rows[i].get_unchecked(x).0.to_owned() as i32 * coeff_i32;
            }
            x += 1;
        }

        let result_u8x4 = result_i32x4.map(|v| normalizer.clip(v));
        for i in 0..4 {
            dst_rows[i].get_unchecked_mut(dst_x).0 = result_u8x4[i];
        }
    }
}

/// For safety, it is necessary to ensure the following conditions:
/// - bounds.len() == dst_row.len()
/// - coeffs.len() == dst_rows.0.len() * window_size
/// - max(bound.start + bound.size for bound in bounds) <= src_row.len()
/// - precision <= MAX_COEFS_PRECISION
#[inline]
#[target_feature(enable = "simd128")]
unsafe fn horiz_convolution_one_row(src_row: &[U8], dst_row: &mut [U8], normalizer: &Normalizer16) {
    const ZERO: v128 = i64x2(0, 0);
    let initial = 1 << (normalizer.precision() - 1);
    let mut buf = [0, 0, 0, 0, initial];
    let coefficients_chunks = normalizer.chunks();

    for (dst_x, coeffs_chunk) in coefficients_chunks.iter().enumerate() {
        let coeffs = coeffs_chunk.values();
        let mut x = coeffs_chunk.start as usize;
        let mut result_i32x4 = ZERO;

        let coeffs_by_8 = coeffs.chunks_exact(8);
        let reminder8 = coeffs_by_8.remainder();
        for k in coeffs_by_8 {
            let coeffs_i16x8 = v128_load(k.as_ptr() as *const v128);
            let pixels_u8x8 = wasm32_utils::loadl_i64(src_row, x);
            let pixels_i16x8 = u16x8_extend_low_u8x16(pixels_u8x8);
            result_i32x4 = i32x4_add(result_i32x4, i32x4_dot_i16x8(pixels_i16x8, coeffs_i16x8));
            x += 8;
        }

        let mut coeffs_by_4 = reminder8.chunks_exact(4);
        let reminder4 = coeffs_by_4.remainder();
        if let Some(k) = coeffs_by_4.next() {
            let coeffs_i16x4 = wasm32_utils::loadl_i64(k, 0);
            let pixels_u8x4 = wasm32_utils::loadl_i32(src_row, x);
            let pixels_i16x4 = u16x8_extend_low_u8x16(pixels_u8x4);
            result_i32x4 = i32x4_add(result_i32x4, i32x4_dot_i16x8(pixels_i16x4, coeffs_i16x4));
            x += 4;
        }

        v128_store(buf.as_mut_ptr() as *mut v128, result_i32x4);
        let mut result_i32 = buf.iter().sum();

        for &coeff in reminder4 {
            let coeff_i32 = coeff as i32;
            result_i32 += src_row.get_unchecked(x).0 as i32 * coeff_i32;
            x += 1;
        }

        dst_row.get_unchecked_mut(dst_x).0 = normalizer.clip(result_i32);
    }
}
