//! libwebp, called directly: a picture for it to encode, freed on drop, and its config from the
//! project's quality and effort. Lossy WebP (`encode`) and animated WebP (`animation`) use it.

use std::ffi::{c_int, c_void};
use std::mem::MaybeUninit;
use std::ptr;

use libwebp_sys as sys;

use crate::raster::Raster;

/// libwebp's config for `quality` (0-100) and `effort` (its method, 0-6; higher efforts are 6).
pub fn config(quality: u8, effort: u8) -> Option<sys::WebPConfig> {
    let mut config = sys::WebPConfig::new().ok()?;
    config.quality = f32::from(quality);
    config.method = c_int::from(effort.min(6));
    Some(config)
}

/// A libwebp struct set up in place by `init`, its init function. Zeroed first: the inits set
/// the fields libwebp reads, not the padding between them.
///
/// # Safety
/// `T` is a plain C struct that is valid with every byte zero (numbers, raw pointers, optional
/// function pointers), and `init` leaves it valid.
pub unsafe fn initialised<T>(init: impl FnOnce(*mut T)) -> T {
    let mut value = MaybeUninit::<T>::zeroed();
    init(value.as_mut_ptr());
    // SAFETY: zeroed, which the caller promises is a valid `T`, then set up by `init`.
    unsafe { value.assume_init() }
}

/// A libwebp picture, freed on drop.
pub struct Picture(pub sys::WebPPicture);

impl Picture {
    /// `raster`'s pixels (RGB or RGBA) as an ARGB picture, libwebp's own import: lossy
    /// encoding converts it to YUV itself; the animation encoder wants ARGB.
    pub fn import(raster: &Raster) -> Option<Picture> {
        let mut picture = Picture::sized(raster.width, raster.height)?;
        picture.0.use_argb = 1;
        let channels = if raster.alpha { 4 } else { 3 };
        let row = (raster.width as usize).checked_mul(channels)?;
        let stride = c_int::try_from(row).ok()?;
        if raster.data.len() < row.checked_mul(raster.height as usize)? {
            return None;
        }
        // SAFETY: the picture is initialised and sized; the data holds height rows of
        // `stride` bytes (checked above), copied by the import.
        let imported = unsafe {
            if raster.alpha {
                sys::WebPPictureImportRGBA(&mut picture.0, raster.data.as_ptr(), stride)
            } else {
                sys::WebPPictureImportRGB(&mut picture.0, raster.data.as_ptr(), stride)
            }
        };
        (imported != 0).then_some(picture)
    }

    /// A 4:2:0 picture (libwebp's studio-range YUV) with its planes allocated, for the caller
    /// to fill through `y`, `u`, `v` and their strides.
    pub fn yuv420(width: u32, height: u32) -> Option<Picture> {
        let mut picture = Picture::sized(width, height)?;
        picture.0.use_argb = 0;
        picture.0.colorspace = sys::WebPEncCSP::WEBP_YUV420;
        // SAFETY: the picture is initialised and sized; libwebp allocates its planes.
        (unsafe { sys::WebPPictureAlloc(&mut picture.0) } != 0).then_some(picture)
    }

    fn sized(width: u32, height: u32) -> Option<Picture> {
        let mut picture = Picture(sys::WebPPicture::new().ok()?);
        picture.0.width = c_int::try_from(width).ok()?;
        picture.0.height = c_int::try_from(height).ok()?;
        Some(picture)
    }

    /// The picture encoded with `config`, or libwebp's reason for failing.
    pub fn encode(&mut self, config: &sys::WebPConfig) -> Result<Vec<u8>, sys::WebPEncodingError> {
        /// The memory libwebp writes its output to, freed on drop.
        struct Writer(sys::WebPMemoryWriter);
        impl Drop for Writer {
            fn drop(&mut self) {
                // SAFETY: initialised on creation; clearing an empty writer is a no-op.
                unsafe { sys::WebPMemoryWriterClear(&mut self.0) };
            }
        }
        // SAFETY: a plain C struct, valid zeroed, which its init sets up.
        let mut writer = Writer(unsafe { initialised(|w| sys::WebPMemoryWriterInit(w)) });
        self.0.writer = Some(sys::WebPMemoryWrite);
        self.0.custom_ptr = (&raw mut writer.0).cast::<c_void>();
        // SAFETY: the config is valid, the picture filled, its writer set to `writer`, which
        // stays in place until the call returns.
        let encoded = unsafe { sys::WebPEncode(config, &mut self.0) } != 0;
        self.0.writer = None;
        self.0.custom_ptr = ptr::null_mut();
        if !encoded {
            return Err(self.0.error_code);
        }
        let written = &writer.0;
        // SAFETY: libwebp wrote `size` bytes at `mem` (null only when empty).
        Ok(if written.mem.is_null() {
            Vec::new()
        } else {
            unsafe { std::slice::from_raw_parts(written.mem, written.size) }.to_vec()
        })
    }
}

impl Drop for Picture {
    fn drop(&mut self) {
        // SAFETY: the picture was initialised; freeing an empty one is a no-op.
        unsafe { sys::WebPPictureFree(&mut self.0) };
    }
}
