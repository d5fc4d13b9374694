//! `placeholder`: BlurHash or ThumbHash of the processed image, for a page to show while the
//! image loads. Both describe a few low frequencies, so they are computed from a copy of at most
//! 100 pixels a side (ThumbHash's own limit), which changes them by a rounding at most. In wasm
//! on W1's 720x588 result: about 1 ms for BlurHash, 2 ms for ThumbHash.

use base64::Engine as _;

use crate::error::{Error, Result};
use crate::options::{Filter, Placeholder};
use crate::raster::Raster;
use crate::resize::{self, Plan, whole};

/// ThumbHash takes at most 100 pixels a side.
const SIDE: u32 = 100;
/// BlurHash components across and down: the size its authors suggest for most images.
const BLURHASH_COMPONENTS: (u32, u32) = (4, 3);

/// The placeholder of `raster` as text: BlurHash's base-83, or ThumbHash's bytes in base64.
pub fn compute(raster: &Raster, kind: Placeholder) -> Result<String> {
    let small = thumbnail(raster)?.with_alpha();
    let (w, h) = (small.width, small.height);
    match kind {
        Placeholder::Blurhash => {
            let (x, y) = BLURHASH_COMPONENTS;
            blurhash::encode(x, y, w, h, &small.data)
                .map_err(|e| Error::EncodeFailed(format!("BlurHash: {e}")))
        }
        Placeholder::Thumbhash => {
            let hash = thumbhash::rgba_to_thumb_hash(w as usize, h as usize, &small.data);
            Ok(base64::engine::general_purpose::STANDARD.encode(hash))
        }
    }
}

/// `raster` shrunk (never enlarged) to at most [`SIDE`] pixels a side, keeping its shape.
fn thumbnail(raster: &Raster) -> Result<Raster> {
    let full = (raster.width, raster.height);
    let longest = full.0.max(full.1);
    if longest <= SIDE {
        return Ok(raster.clone());
    }
    let size = |v: u32| {
        ((u64::from(v) * u64::from(SIDE) + u64::from(longest) / 2) / u64::from(longest)).max(1)
            as u32
    };
    let scaled = (size(full.0), size(full.1));
    let plan = Plan {
        region: whole(full),
        scaled,
        crop: whole(scaled),
        canvas: whole(scaled),
    };
    resize::resample(raster, full, &plan, Filter::Bilinear)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_have_their_formats_shapes() {
        let mut r = Raster::filled(300, 200, false, [200, 40, 40, 255]);
        for (i, v) in r.data.iter_mut().enumerate() {
            *v = v.wrapping_add((i % 97) as u8);
        }
        let blur = compute(&r, Placeholder::Blurhash).unwrap();
        // One size character, one for the maximum AC value, 4 for DC, 2 for each AC component.
        assert_eq!(blur.len(), 1 + 1 + 4 + 2 * (4 * 3 - 1), "{blur}");
        let thumb = compute(&r, Placeholder::Thumbhash).unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&thumb)
            .unwrap();
        let ratio = thumbhash::thumb_hash_to_approximate_aspect_ratio(&bytes).unwrap();
        // Approximate: the hash keeps the shape to within a few percent.
        assert!((ratio - 1.5).abs() < 0.15, "{ratio}");
    }
}
