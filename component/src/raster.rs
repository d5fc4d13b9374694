//! The pixel buffer passed between stages: 8-bit sRGB, with or without alpha, rows packed.

/// An 8-bit RGB or RGBA image, rows packed with no padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    /// RGBA when true, RGB when false.
    pub alpha: bool,
    pub data: Vec<u8>,
}

impl Raster {
    /// Bytes per pixel: 3 or 4.
    pub fn channels(&self) -> usize {
        if self.alpha { 4 } else { 3 }
    }

    /// A raster filled with one colour.
    pub fn filled(width: u32, height: u32, alpha: bool, rgba: [u8; 4]) -> Raster {
        let channels = if alpha { 4 } else { 3 };
        let pixel = rgba.get(..channels).unwrap_or(&rgba);
        let data = pixel.repeat(width as usize * height as usize);
        Raster {
            width,
            height,
            alpha,
            data,
        }
    }

    /// Drops the alpha channel when every pixel is opaque, so later stages (resize, encode) work
    /// on three channels instead of four and lossless outputs stay small.
    pub fn drop_opaque_alpha(self) -> Raster {
        if !self.alpha || self.data.chunks_exact(4).any(|p| p.get(3) != Some(&255)) {
            return self;
        }
        let data = self
            .data
            .chunks_exact(4)
            .flat_map(|p| p.iter().take(3).copied())
            .collect();
        Raster {
            alpha: false,
            data,
            ..self
        }
    }

    /// Composites onto an opaque background colour and drops alpha (for JPEG).
    pub fn flatten(self, background: [u8; 3]) -> Raster {
        if !self.alpha {
            return self;
        }
        let mut data = Vec::with_capacity(self.width as usize * self.height as usize * 3);
        for p in self.data.chunks_exact(4) {
            if let [r, g, b, a] = *p {
                let a = u32::from(a);
                for (c, bg) in [r, g, b].into_iter().zip(background) {
                    // Rounded (c*a + bg*(255-a)) / 255, exact for a = 0 and a = 255.
                    let v = u32::from(c) * a + u32::from(bg) * (255 - a);
                    data.push(((v + 127) / 255) as u8);
                }
            }
        }
        Raster {
            alpha: false,
            data,
            ..self
        }
    }

    /// Places this raster at (x, y) on a canvas of `width` x `height` filled with `background`.
    pub fn pad(self, width: u32, height: u32, x: u32, y: u32, background: [u8; 4]) -> Raster {
        let alpha = self.alpha || background[3] != 255;
        let src = if alpha && !self.alpha {
            self.with_alpha()
        } else {
            self
        };
        let mut canvas = Raster::filled(width, height, alpha, background);
        let channels = canvas.channels();
        let row_bytes = src.width as usize * channels;
        for (row, line) in src.data.chunks_exact(row_bytes.max(1)).enumerate() {
            let start = ((y as usize + row) * width as usize + x as usize) * channels;
            if let Some(dst) = canvas.data.get_mut(start..start + row_bytes) {
                dst.copy_from_slice(line);
            }
        }
        canvas
    }

    /// The part of this raster inside `rect` (which must lie inside it).
    pub fn crop(&self, rect: crate::resize::Rect) -> Raster {
        let channels = self.channels();
        let mut data = Vec::with_capacity(rect.width as usize * rect.height as usize * channels);
        let row_bytes = rect.width as usize * channels;
        for y in rect.y..rect.y.saturating_add(rect.height) {
            let start = (y as usize * self.width as usize + rect.x as usize) * channels;
            data.extend_from_slice(self.data.get(start..start + row_bytes).unwrap_or(&[]));
        }
        Raster {
            width: rect.width,
            height: rect.height,
            alpha: self.alpha,
            data,
        }
    }

    /// Adds an opaque alpha channel.
    pub fn with_alpha(self) -> Raster {
        if self.alpha {
            return self;
        }
        let data = self
            .data
            .chunks_exact(3)
            .flat_map(|p| p.iter().copied().chain([255]))
            .collect();
        Raster {
            alpha: true,
            data,
            ..self
        }
    }
}

/// 16-bit samples stored as native-endian byte pairs (a trailing odd byte is ignored).
pub fn u16_samples(bytes: &[u8]) -> impl Iterator<Item = u16> + '_ {
    let (pairs, _) = bytes.as_chunks::<2>();
    pairs.iter().map(|&pair| u16::from_ne_bytes(pair))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatten_blends_with_background() {
        let r = Raster {
            width: 3,
            height: 1,
            alpha: true,
            data: vec![0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128],
        };
        let f = r.flatten([255, 255, 255]);
        assert!(!f.alpha);
        assert_eq!(f.data, vec![255, 255, 255, 0, 0, 0, 127, 127, 127]);
    }

    #[test]
    fn pad_places_image() {
        let r = Raster::filled(1, 1, false, [1, 2, 3, 255]);
        let p = r.pad(3, 2, 1, 1, [9, 9, 9, 255]);
        assert_eq!(
            p.data,
            vec![9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 1, 2, 3, 9, 9, 9]
        );
    }

    #[test]
    fn opaque_alpha_dropped() {
        let r = Raster::filled(2, 2, true, [5, 6, 7, 255]);
        let d = r.drop_opaque_alpha();
        assert!(!d.alpha);
        assert_eq!(d.data.len(), 12);
        let t = Raster::filled(2, 2, true, [5, 6, 7, 254]).drop_opaque_alpha();
        assert!(t.alpha);
    }
}
