use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use crate::error::{Error, Result, UnsupportedFeature};
use crate::decoder::MAX_COMPONENTS;
use crate::parser::Component;

pub struct Upsampler {
    components: Vec<UpsamplerComponent>,
    line_buffer_size: usize
}

struct UpsamplerComponent {
    upsampler: Box<dyn Upsample + Sync>,
    width: usize,
    height: usize,
    row_stride: usize,
}

impl Upsampler {
    pub fn new(components: &[Component], output_width: u16, output_height: u16) -> Result<Upsampler> {
        let h_max = components.iter().map(|c| c.horizontal_sampling_factor).max().unwrap();
        let v_max = components.iter().map(|c| c.vertical_sampling_factor).max().unwrap();
        let mut upsampler_components = Vec::with_capacity(components.len());

        for component in components {
            let upsampler = choose_upsampler((component.horizontal_sampling_factor,
                                              component.vertical_sampling_factor),
                                             (h_max, v_max),
                                             output_width,
                                             output_height)?;
            upsampler_components.push(UpsamplerComponent {
                upsampler,
                width: component.size.width as usize,
                height: component.size.height as usize,
                row_stride: component.block_size.width as usize * component.dct_scale,
            });
        }

        let buffer_size = components.iter().map(|c| c.size.width).max().unwrap() as usize * h_max as usize;

        Ok(Upsampler {
            components: upsampler_components,
            line_buffer_size: buffer_size
        })
    }

    /// imgpipe: the buffers [`Self::upsample_and_interleave_row`] works in, made once per image
    /// rather than once per row.
    pub fn line_buffers(&self) -> Vec<Vec<u8>> {
        vec![vec![0u8; self.line_buffer_size]; self.components.len()]
    }

    pub fn upsample_and_interleave_row(&self, component_data: &[Vec<u8>], row: usize, output_width: usize, output: &mut [u8], color_convert: fn(&[&[u8]], &mut [u8]), line_buffers: &mut [Vec<u8>]) {
        let component_count = component_data.len();

        debug_assert_eq!(component_count, self.components.len());

        // imgpipe: each upsampler hands back the row to convert: its line buffer, or for a
        // component at full resolution its row of the decoded plane, not copied.
        let mut rows: [&[u8]; MAX_COMPONENTS] = [&[]; MAX_COMPONENTS];
        for (((component, data), buffer), slot) in self.components.iter()
            .zip(component_data)
            .zip(line_buffers.iter_mut())
            .zip(rows.iter_mut())
        {
            *slot = component.upsampler.upsample_row(data,
                                                     component.width,
                                                     component.height,
                                                     component.row_stride,
                                                     row,
                                                     output_width,
                                                     buffer);
        }
        color_convert(&rows[..component_count], output);
    }
}

struct UpsamplerH1V1;
struct UpsamplerH2V1;
struct UpsamplerH1V2;
struct UpsamplerH2V2;

struct UpsamplerGeneric {
    horizontal_scaling_factor: u8,
    vertical_scaling_factor: u8
}

fn choose_upsampler(sampling_factors: (u8, u8),
                    max_sampling_factors: (u8, u8),
                    output_width: u16,
                    output_height: u16) -> Result<Box<dyn Upsample + Sync>> {
    let h1 = sampling_factors.0 == max_sampling_factors.0 || output_width == 1;
    let v1 = sampling_factors.1 == max_sampling_factors.1 || output_height == 1;
    let h2 = sampling_factors.0 * 2 == max_sampling_factors.0;
    let v2 = sampling_factors.1 * 2 == max_sampling_factors.1;

    if h1 && v1 {
        Ok(Box::new(UpsamplerH1V1))
    } else if h2 && v1 {
        Ok(Box::new(UpsamplerH2V1))
    } else if h1 && v2 {
        Ok(Box::new(UpsamplerH1V2))
    } else if h2 && v2 {
        Ok(Box::new(UpsamplerH2V2))
    } else if max_sampling_factors.0 % sampling_factors.0 != 0
        || max_sampling_factors.1 % sampling_factors.1 != 0
    {
        Err(Error::Unsupported(
            UnsupportedFeature::NonIntegerSubsamplingRatio,
        ))
    } else {
        Ok(Box::new(UpsamplerGeneric {
            horizontal_scaling_factor: max_sampling_factors.0 / sampling_factors.0,
            vertical_scaling_factor: max_sampling_factors.1 / sampling_factors.1,
        }))
    }
}

#[allow(clippy::too_many_arguments)]
trait Upsample {
    /// Upsamples row `row` of `input` into `output` and returns the row to convert (imgpipe:
    /// `output`, or for [`UpsamplerH1V1`] the row of `input` itself).
    fn upsample_row<'a>(&self,
                        input: &'a [u8],
                        input_width: usize,
                        input_height: usize,
                        row_stride: usize,
                        row: usize,
                        output_width: usize,
                        output: &'a mut [u8]) -> &'a [u8];
}

impl Upsample for UpsamplerH1V1 {
    fn upsample_row<'a>(&self,
                        input: &'a [u8],
                        _input_width: usize,
                        _input_height: usize,
                        row_stride: usize,
                        row: usize,
                        output_width: usize,
                        output: &'a mut [u8]) -> &'a [u8] {
        let _ = output;
        &input[row * row_stride ..][..output_width]
    }
}

impl Upsample for UpsamplerH2V1 {
    fn upsample_row<'a>(&self,
                        input: &'a [u8],
                        input_width: usize,
                        _input_height: usize,
                        row_stride: usize,
                        row: usize,
                        _output_width: usize,
                        output: &'a mut [u8]) -> &'a [u8] {
        let input = &input[row * row_stride ..];

        if input_width == 1 {
            output[0] = input[0];
            output[1] = input[0];
            return output;
        }

        output[0] = input[0];
        output[1] = ((input[0] as u32 * 3 + input[1] as u32 + 2) >> 2) as u8;

        for i in 1 .. input_width - 1 {
            let sample = 3 * input[i] as u32 + 2;
            output[i * 2]     = ((sample + input[i - 1] as u32) >> 2) as u8;
            output[i * 2 + 1] = ((sample + input[i + 1] as u32) >> 2) as u8;
        }

        output[(input_width - 1) * 2] = ((input[input_width - 1] as u32 * 3 + input[input_width - 2] as u32 + 2) >> 2) as u8;
        output[(input_width - 1) * 2 + 1] = input[input_width - 1];
        output
    }
}

impl Upsample for UpsamplerH1V2 {
    fn upsample_row<'a>(&self,
                        input: &'a [u8],
                        _input_width: usize,
                        input_height: usize,
                        row_stride: usize,
                        row: usize,
                        output_width: usize,
                        output: &'a mut [u8]) -> &'a [u8] {
        let row_near = row as f32 / 2.0;
        // If row_near's fractional is 0.0 we want row_far to be the previous row and if it's 0.5 we
        // want it to be the next row.
        let row_far = (row_near + row_near.fract() * 3.0 - 0.25).min((input_height - 1) as f32);

        let input_near = &input[row_near as usize * row_stride ..];
        let input_far = &input[row_far as usize * row_stride ..];

        let row_out = &mut output[..output_width];
        let input_near = &input_near[..output_width];
        let input_far = &input_far[..output_width];
        for i in 0..output_width {
            row_out[i] = ((3 * input_near[i] as u32 + input_far[i] as u32 + 2) >> 2) as u8;
        }
        output
    }
}

impl Upsample for UpsamplerH2V2 {
    fn upsample_row<'a>(&self,
                        input: &'a [u8],
                        input_width: usize,
                        input_height: usize,
                        row_stride: usize,
                        row: usize,
                        _output_width: usize,
                        output: &'a mut [u8]) -> &'a [u8] {
        let row_near = row as f32 / 2.0;
        // If row_near's fractional is 0.0 we want row_far to be the previous row and if it's 0.5 we
        // want it to be the next row.
        let row_far = (row_near + row_near.fract() * 3.0 - 0.25).min((input_height - 1) as f32);

        let input_near = &input[row_near as usize * row_stride ..];
        let input_far = &input[row_far as usize * row_stride ..];

        if input_width == 1 {
            let value = ((3 * input_near[0] as u32 + input_far[0] as u32 + 2) >> 2) as u8;
            output[0] = value;
            output[1] = value;
            return output;
        }

        let mut t1 = 3 * input_near[0] as u32 + input_far[0] as u32;
        output[0] = ((t1 + 2) >> 2) as u8;

        // imgpipe: eight input pixels (sixteen output pixels) at a time in wasm SIMD, with the
        // same integer arithmetic, then the scalar loop for the rest.
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128", not(feature = "platform_independent")))]
        let start = {
            let done = upsample_h2v2_simd128(input_near, input_far, input_width, output);
            if done > 1 {
                t1 = 3 * input_near[done - 1] as u32 + input_far[done - 1] as u32;
            }
            done.max(1)
        };
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128", not(feature = "platform_independent"))))]
        let start = 1;

        for i in start .. input_width {
            let t0 = t1;
            t1 = 3 * input_near[i] as u32 + input_far[i] as u32;

            output[i * 2 - 1] = ((3 * t0 + t1 + 8) >> 4) as u8;
            output[i * 2]     = ((3 * t1 + t0 + 8) >> 4) as u8;
        }

        output[input_width * 2 - 1] = ((t1 + 2) >> 2) as u8;
        output
    }
}

impl Upsample for UpsamplerGeneric {
    // Uses nearest neighbor sampling
    fn upsample_row<'a>(&self,
                        input: &'a [u8],
                        input_width: usize,
                        _input_height: usize,
                        row_stride: usize,
                        row: usize,
                        _output_width: usize,
                        output: &'a mut [u8]) -> &'a [u8] {
        let mut index = 0;
        let start = (row / self.vertical_scaling_factor as usize) * row_stride;
        let input = &input[start..(start + input_width)];
        for val in input {
            for _ in 0..self.horizontal_scaling_factor {
                output[index] = *val;
                index += 1;
            }
        }
        output
    }
}

/// imgpipe: the scalar loop of [`UpsamplerH2V2::upsample_row`] in wasm SIMD, eight input
/// pixels (sixteen output pixels) a step. With `t[i] = 3 * near[i] + far[i]`, input pixel `i`
/// gives output `2i - 1 = (3 t[i-1] + t[i] + 8) >> 4` and `2i = (3 t[i] + t[i-1] + 8) >> 4`: the
/// same integer arithmetic, in `u16` lanes (at most 4,088). Does input pixels `1 .. done` and
/// returns `done` (at least 1); the scalar loop finishes from there.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128", not(feature = "platform_independent")))]
fn upsample_h2v2_simd128(near: &[u8], far: &[u8], width: usize, output: &mut [u8]) -> usize {
    use core::arch::wasm32::*;

    /// `3 * near + far` for the eight pixels from `at`, widened to `u16`.
    #[inline(always)]
    fn weighted(near: &[u8], far: &[u8], at: usize) -> v128 {
        let near: [u8; 8] = near[at..at + 8].try_into().unwrap();
        let far: [u8; 8] = far[at..at + 8].try_into().unwrap();
        let near = u16x8_extend_low_u8x16(u64x2(u64::from_le_bytes(near), 0));
        let far = u16x8_extend_low_u8x16(u64x2(u64::from_le_bytes(far), 0));
        u16x8_add(u16x8_add(u16x8_shl(near, 1), near), far)
    }

    let rounding = u16x8_splat(8);
    let mut i = 1;
    while i + 8 <= width {
        let previous = weighted(near, far, i - 1);
        let current = weighted(near, far, i);
        let left = u16x8_shr(u16x8_add(u16x8_add(u16x8_shl(previous, 1), previous), u16x8_add(current, rounding)), 4);
        let right = u16x8_shr(u16x8_add(u16x8_add(u16x8_shl(current, 1), current), u16x8_add(previous, rounding)), 4);
        // Lanes hold at most 255 now, so narrowing saturates nothing.
        let packed = u8x16_narrow_i16x8(left, right);
        let interleaved = u8x16_shuffle::<0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15>(packed, packed);
        let out: &mut [u8; 16] = (&mut output[2 * i - 1..2 * i + 15]).try_into().unwrap();
        // SAFETY: `out` is 16 writable bytes, and `v128_store` needs no alignment.
        #[allow(unsafe_code)]
        unsafe {
            v128_store(out.as_mut_ptr().cast(), interleaved)
        };
        i += 8;
    }
    i
}
