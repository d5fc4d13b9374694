//! Borders: finding a uniform one to cut away (`options.trim`, as sharp's `trim`) and adding
//! one (`options.extend`).

use crate::options::Edges;
use crate::raster::Raster;
use crate::resize::Rect;

/// The smallest rectangle holding every pixel that differs from the top-left pixel by more
/// than `threshold` in some channel (alpha included); `None` when no pixel does (an image that
/// is all border is left whole).
pub fn trim_box(image: &Raster, threshold: f32) -> Option<Rect> {
    let channels = image.channels();
    let background = image.data.get(..channels)?.to_vec();
    let width = image.width as usize;
    let differs = |px: &[u8]| {
        px.iter()
            .zip(&background)
            .any(|(&v, &b)| f32::from(v.abs_diff(b)) > threshold)
    };
    let (mut left, mut right, mut top, mut bottom) = (usize::MAX, 0, usize::MAX, 0);
    for (y, row) in image.data.chunks_exact(width * channels).enumerate() {
        let mut pixels = row.chunks_exact(channels);
        let Some(first) = pixels.position(differs) else {
            continue;
        };
        let last = row
            .chunks_exact(channels)
            .rposition(differs)
            .unwrap_or(first);
        left = left.min(first);
        right = right.max(last);
        top = top.min(y);
        bottom = y;
    }
    (left <= right).then(|| Rect {
        x: left as u32,
        y: top as u32,
        width: (right - left + 1) as u32,
        height: (bottom - top + 1) as u32,
    })
}

/// `image` with borders of `edges` in `background` around it.
pub fn extend(image: Raster, edges: Edges, background: [u8; 4]) -> Raster {
    let width = image.width + edges.left + edges.right;
    let height = image.height + edges.top + edges.bottom;
    image.pad(width, height, edges.left, edges.top, background)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_to_the_content() {
        let mut r = Raster::filled(10, 8, false, [250, 250, 250, 255]);
        for (x, y) in [(2, 3), (6, 5)] {
            let at = (y * 10 + x) * 3;
            r.data[at..at + 3].copy_from_slice(&[0, 0, 0]);
        }
        // Noise within the threshold stays border.
        r.data[(7 * 10 + 9) * 3] = 245;
        assert_eq!(
            trim_box(&r, 10.0),
            Some(Rect {
                x: 2,
                y: 3,
                width: 5,
                height: 3
            })
        );
        assert_eq!(
            trim_box(&Raster::filled(4, 4, true, [1, 2, 3, 4]), 10.0),
            None
        );
    }

    #[test]
    fn extends_with_the_background() {
        let r = extend(
            Raster::filled(2, 1, false, [9, 9, 9, 255]),
            Edges {
                top: 1,
                right: 2,
                bottom: 0,
                left: 1,
            },
            [255, 0, 0, 255],
        );
        assert_eq!((r.width, r.height), (5, 2));
        assert_eq!(&r.data[..3], &[255, 0, 0]);
        assert_eq!(&r.data[(5 + 1) * 3..(5 + 3) * 3], &[9, 9, 9, 9, 9, 9]);
    }
}
