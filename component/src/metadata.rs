//! Metadata an output may carry: the colour profile the colour plan chose, and, when the caller
//! keeps metadata, the input's EXIF (its orientation reset once the pixels are upright) and
//! XMP. Also the container surgery the encoders' APIs lack: XMP in PNG, and ICC, EXIF and XMP
//! in libwebp's lossy files.

use crate::error::{Error, Result};
use crate::options::OutputFormat;

/// The EXIF and XMP of an input, as its container stores them (EXIF from its TIFF header on).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub exif: Option<Vec<u8>>,
    pub xmp: Option<Vec<u8>>,
}

impl Metadata {
    /// EXIF (with or without the "Exif\0\0" header some containers keep) and XMP as read.
    pub fn new(exif: Option<Vec<u8>>, xmp: Option<Vec<u8>>) -> Metadata {
        let exif = exif.map(|mut e| {
            if e.starts_with(EXIF_HEADER) {
                e.drain(..EXIF_HEADER.len());
            }
            e
        });
        let present = |v: &Vec<u8>| !v.is_empty();
        Metadata {
            exif: exif.filter(present),
            xmp: xmp.filter(present),
        }
    }

    /// Marks the image upright: EXIF orientation 1, for pixels the pipeline has rotated.
    pub fn reset_orientation(&mut self) {
        if let Some(exif) = &mut self.exif {
            set_exif_orientation(exif, 1);
        }
    }
}

/// What an encoder writes besides the pixels.
#[derive(Debug, Clone, Copy, Default)]
pub struct Embedded<'a> {
    pub icc: Option<&'a [u8]>,
    pub exif: Option<&'a [u8]>,
    pub xmp: Option<&'a [u8]>,
}

/// What JPEG's APP1 (and some WebP files) put before the TIFF structure.
pub const EXIF_HEADER: &[u8] = b"Exif\0\0";
/// What JPEG's APP1 puts before an XMP packet.
pub const XMP_HEADER: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";

/// The EXIF tag of the orientation, and the TIFF type SHORT.
const ORIENTATION: u16 = 0x0112;
const SHORT: u16 = 3;

/// Sets the orientation entry of IFD0 in `exif` (a TIFF structure, "II" or "MM") to `value`,
/// when there is one. Damaged EXIF is left as it is.
fn set_exif_orientation(exif: &mut [u8], value: u16) {
    let little = match exif.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return,
    };
    let u16_at = |bytes: &[u8], at: usize| -> Option<u16> {
        let pair: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        })
    };
    let u32_at = |bytes: &[u8], at: usize| -> Option<u32> {
        let quad: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(quad)
        } else {
            u32::from_be_bytes(quad)
        })
    };
    let Some(ifd) = u32_at(exif, 4).and_then(|o| usize::try_from(o).ok()) else {
        return;
    };
    let Some(count) = u16_at(exif, ifd) else {
        return;
    };
    for i in 0..usize::from(count) {
        let entry = ifd + 2 + 12 * i;
        if u16_at(exif, entry) == Some(ORIENTATION) && u16_at(exif, entry + 2) == Some(SHORT) {
            let bytes = if little {
                value.to_le_bytes()
            } else {
                value.to_be_bytes()
            };
            if let Some(slot) = exif.get_mut(entry + 8..entry + 10) {
                slot.copy_from_slice(&bytes);
            }
            return;
        }
    }
}

/// The keyword PNG readers look for in an iTXt chunk holding XMP.
const PNG_XMP_KEYWORD: &[u8] = b"XML:com.adobe.xmp";

/// `png` with an iTXt chunk holding `xmp`, placed right after IHDR.
pub fn png_with_xmp(png: Vec<u8>, xmp: &[u8]) -> Result<Vec<u8>> {
    // Signature (8) and IHDR (length, type, 13 bytes, CRC).
    const AFTER_IHDR: usize = 8 + 4 + 4 + 13 + 4;
    let malformed = || Error::encode(OutputFormat::Png, "no IHDR where the encoder puts it");
    if png.get(12..16) != Some(b"IHDR") {
        return Err(malformed());
    }
    let (head, rest) = png.split_at_checked(AFTER_IHDR).ok_or_else(malformed)?;
    // Keyword, NUL, not compressed, method 0, no language tag, no translated keyword, text.
    let mut data = Vec::with_capacity(PNG_XMP_KEYWORD.len() + 5 + xmp.len());
    data.extend_from_slice(PNG_XMP_KEYWORD);
    data.extend_from_slice(&[0, 0, 0, 0, 0]);
    data.extend_from_slice(xmp);
    let length = u32::try_from(data.len())
        .map_err(|_| Error::encode(OutputFormat::Png, "XMP over 4 GiB"))?;
    let mut crc = crc32fast::Hasher::new();
    crc.update(b"iTXt");
    crc.update(&data);
    let mut out = Vec::with_capacity(png.len() + data.len() + 12);
    out.extend_from_slice(head);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(b"iTXt");
    out.extend_from_slice(&data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
    out.extend_from_slice(rest);
    Ok(out)
}

/// `webp` (as libwebp wrote it: a simple VP8 file, or an extended one when it has alpha) with
/// ICCP, EXIF and XMP chunks for what `extra` holds: the extended header (VP8X) gets their
/// flags, ICCP follows it and EXIF and XMP close the file, as the container specification
/// orders them. `width` and `height` are the canvas's.
pub fn webp_with(webp: &[u8], extra: Embedded<'_>, width: u32, height: u32) -> Result<Vec<u8>> {
    const ICC_FLAG: u8 = 0x20;
    const EXIF_FLAG: u8 = 0x08;
    const XMP_FLAG: u8 = 0x04;
    let malformed = || Error::encode(OutputFormat::Webp, "libwebp wrote no RIFF container");
    let chunks = webp
        .get(12..)
        .filter(|_| webp.starts_with(b"RIFF") && webp.get(8..12) == Some(b"WEBP"))
        .ok_or_else(malformed)?;
    let flags = [
        (extra.icc, ICC_FLAG),
        (extra.exif, EXIF_FLAG),
        (extra.xmp, XMP_FLAG),
    ]
    .iter()
    .filter(|(data, _)| data.is_some())
    .fold(0, |flags, (_, flag)| flags | flag);
    let mut out = Vec::with_capacity(webp.len() + 64);
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let rest = if chunks.starts_with(b"VP8X") {
        // Tag, length (10), flags, 3 reserved bytes, canvas width and height (24 bits each).
        let length = chunks
            .get(4..8)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
            .ok_or_else(malformed)?;
        let end = usize::try_from(length).map_err(|_| malformed())? + 8;
        let (header, rest) = chunks.split_at_checked(end).ok_or_else(malformed)?;
        out.extend_from_slice(header);
        if let Some(old) = out.get_mut(20) {
            *old |= flags;
        }
        rest
    } else {
        // A simple file has no alpha chunk (libwebp writes VP8X when there is alpha to keep).
        out.extend_from_slice(b"VP8X");
        out.extend_from_slice(&10u32.to_le_bytes());
        out.extend_from_slice(&[flags, 0, 0, 0]);
        for side in [width, height] {
            let minus_one = side.saturating_sub(1).to_le_bytes();
            out.extend_from_slice(minus_one.get(..3).ok_or_else(malformed)?);
        }
        chunks
    };
    if let Some(icc) = extra.icc {
        riff_chunk(&mut out, b"ICCP", icc)?;
    }
    out.extend_from_slice(rest);
    if let Some(exif) = extra.exif {
        riff_chunk(&mut out, b"EXIF", exif)?;
    }
    if let Some(xmp) = extra.xmp {
        riff_chunk(&mut out, b"XMP ", xmp)?;
    }
    let riff = u32::try_from(out.len() - 8)
        .map_err(|_| Error::encode(OutputFormat::Webp, "file over 4 GiB"))?;
    if let Some(size) = out.get_mut(4..8) {
        size.copy_from_slice(&riff.to_le_bytes());
    }
    Ok(out)
}

/// Appends a RIFF chunk: tag, little-endian length, data, a pad byte to an even length.
fn riff_chunk(out: &mut Vec<u8>, tag: &[u8; 4], data: &[u8]) -> Result<()> {
    let length = u32::try_from(data.len())
        .map_err(|_| Error::encode(OutputFormat::Webp, "metadata over 4 GiB"))?;
    out.extend_from_slice(tag);
    out.extend_from_slice(&length.to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A little- or big-endian TIFF with IFD0 holding an unrelated tag and the orientation.
    fn exif(little: bool, orientation: u16) -> Vec<u8> {
        let w16 = |v: u16| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let w32 = |v: u32| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let mut t = Vec::new();
        t.extend_from_slice(if little { b"II" } else { b"MM" });
        t.extend_from_slice(&w16(42));
        t.extend_from_slice(&w32(8));
        t.extend_from_slice(&w16(2));
        for (tag, value) in [(0x010F, 7u16), (ORIENTATION, orientation)] {
            t.extend_from_slice(&w16(tag));
            t.extend_from_slice(&w16(SHORT));
            t.extend_from_slice(&w32(1));
            t.extend_from_slice(&w16(value));
            t.extend_from_slice(&[0, 0]);
        }
        t.extend_from_slice(&w32(0));
        t
    }

    #[test]
    fn orientation_is_reset_in_both_byte_orders() {
        for little in [true, false] {
            let mut m = Metadata {
                exif: Some(exif(little, 6)),
                xmp: None,
            };
            m.reset_orientation();
            assert_eq!(m.exif, Some(exif(little, 1)));
        }
    }

    #[test]
    fn damaged_exif_is_left_alone() {
        for mut bad in [
            vec![],
            b"II".to_vec(),
            b"MM\0*\xff\xff\xff\xff".to_vec(),
            exif(true, 6)[..14].to_vec(),
        ] {
            let before = bad.clone();
            set_exif_orientation(&mut bad, 1);
            assert_eq!(bad, before);
        }
    }
}
