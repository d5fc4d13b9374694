//! Colours as people write them: `rrggbb` or `rrggbbaa` hex, with or without a leading `#`.

use std::fmt;
use std::str::FromStr;

/// An sRGB colour with alpha, 8 bits per channel; WIT `color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

impl Color {
    /// Opaque white, the default background.
    pub const WHITE: Color = Color {
        r: 255,
        g: 255,
        b: 255,
        a: 255,
    };

    /// `[r, g, b, a]`.
    pub fn rgba(self) -> [u8; 4] {
        [self.r, self.g, self.b, self.a]
    }
}

/// Text that is not a hex colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadColor(pub String);

impl fmt::Display for BadColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "must be a hex colour rrggbb or rrggbbaa, got {:?}",
            self.0
        )
    }
}

impl std::error::Error for BadColor {}

impl FromStr for Color {
    type Err = BadColor;

    fn from_str(text: &str) -> Result<Color, BadColor> {
        let hex = text.strip_prefix('#').unwrap_or(text).as_bytes();
        let refuse = || BadColor(text.to_string());
        if !(hex.len() == 6 || hex.len() == 8) {
            return Err(refuse());
        }
        let mut rgba = [0, 0, 0, 255];
        for (slot, pair) in rgba.iter_mut().zip(hex.chunks_exact(2)) {
            let pair = std::str::from_utf8(pair).map_err(|_| refuse())?;
            // from_str_radix alone would take "+f".
            if !pair.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(refuse());
            }
            *slot = u8::from_str_radix(pair, 16).map_err(|_| refuse())?;
        }
        let [r, g, b, a] = rgba;
        Ok(Color { r, g, b, a })
    }
}

impl fmt::Display for Color {
    /// `rrggbbaa`, which [`FromStr`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02x}{:02x}{:02x}{:02x}",
            self.r, self.g, self.b, self.a
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_six_and_eight_digits() {
        let c: Color = "#ff000080".parse().unwrap();
        assert_eq!(c.rgba(), [255, 0, 0, 128]);
        let c: Color = "102030".parse().unwrap();
        assert_eq!(c.rgba(), [0x10, 0x20, 0x30, 255]);
        assert_eq!(c.to_string().parse::<Color>().unwrap(), c);
    }

    #[test]
    fn refuses_anything_else() {
        for text in [
            "red", "12345", "#12345", "1234567", "+f+f+f", "ééé", "", "#",
        ] {
            assert!(text.parse::<Color>().is_err(), "{text:?}");
        }
    }
}
