//! The encodings read and written, with what a server and a file system need to know of each.

names! {
    /// Encodings the processor writes; WIT `output-format`.
    pub enum OutputFormat: "output-format" {
        Jpeg = "jpeg" | "jpg",
        Png = "png",
        Webp = "webp",
        WebpLossless = "webp-lossless",
        Avif = "avif",
        Gif = "gif",
    }
}

impl OutputFormat {
    /// The MIME type, for a Content-Type header.
    pub fn mime_type(self) -> &'static str {
        match self {
            OutputFormat::Jpeg => "image/jpeg",
            OutputFormat::Png => "image/png",
            OutputFormat::Webp | OutputFormat::WebpLossless => "image/webp",
            OutputFormat::Avif => "image/avif",
            OutputFormat::Gif => "image/gif",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Jpeg => "jpg",
            OutputFormat::Png => "png",
            OutputFormat::Webp | OutputFormat::WebpLossless => "webp",
            OutputFormat::Avif => "avif",
            OutputFormat::Gif => "gif",
        }
    }

    /// The format a file extension (without the dot, any case) asks for; the lossy one where
    /// two share it.
    pub fn from_extension(extension: &str) -> Option<OutputFormat> {
        OutputFormat::ALL
            .iter()
            .copied()
            .find(|f| f.extension().eq_ignore_ascii_case(extension))
            .or_else(|| extension.parse().ok())
    }

    /// The name people write, for messages ("WebP").
    pub fn label(self) -> &'static str {
        match self {
            OutputFormat::Jpeg => "JPEG",
            OutputFormat::Png => "PNG",
            OutputFormat::Webp => "WebP",
            OutputFormat::WebpLossless => "lossless WebP",
            OutputFormat::Avif => "AVIF",
            OutputFormat::Gif => "GIF",
        }
    }

    /// Whether the encoding can store an alpha channel (GIF: on or off per pixel).
    pub fn supports_alpha(self) -> bool {
        !matches!(self, OutputFormat::Jpeg)
    }

    /// Whether the encoding can store an animation.
    pub fn animates(self) -> bool {
        matches!(
            self,
            OutputFormat::Webp | OutputFormat::WebpLossless | OutputFormat::Gif
        )
    }

    /// The largest width or height the format can store: 14 bits in WebP's header, 16 in
    /// JPEG's and GIF's, 31 in PNG's; AVIF is held to JPEG's (an AV1 frame stores 16 bits).
    pub fn max_dimension(self) -> u32 {
        match self {
            OutputFormat::Webp | OutputFormat::WebpLossless => 16_383,
            OutputFormat::Jpeg | OutputFormat::Avif | OutputFormat::Gif => 65_535,
            OutputFormat::Png => i32::MAX.unsigned_abs(),
        }
    }
}

names! {
    /// Encodings the processor recognises on input (from magic bytes); WIT `input-format`.
    pub enum InputFormat: "input-format" {
        Jpeg = "jpeg" | "jpg",
        Png = "png",
        Webp = "webp",
        Gif = "gif",
        Bmp = "bmp",
        Tiff = "tiff" | "tif",
        Avif = "avif",
        Heic = "heic" | "heif",
        Jxl = "jxl",
    }
}

impl InputFormat {
    /// The MIME type.
    pub fn mime_type(self) -> &'static str {
        match self {
            InputFormat::Jpeg => "image/jpeg",
            InputFormat::Png => "image/png",
            InputFormat::Webp => "image/webp",
            InputFormat::Gif => "image/gif",
            InputFormat::Bmp => "image/bmp",
            InputFormat::Tiff => "image/tiff",
            InputFormat::Avif => "image/avif",
            InputFormat::Heic => "image/heic",
            InputFormat::Jxl => "image/jxl",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            InputFormat::Jpeg => "jpg",
            InputFormat::Tiff => "tif",
            other => other.as_str(),
        }
    }

    /// The name people write, for messages ("WebP").
    pub fn label(self) -> &'static str {
        match self {
            InputFormat::Jpeg => "JPEG",
            InputFormat::Png => "PNG",
            InputFormat::Webp => "WebP",
            InputFormat::Gif => "GIF",
            InputFormat::Bmp => "BMP",
            InputFormat::Tiff => "TIFF",
            InputFormat::Avif => "AVIF",
            InputFormat::Heic => "HEIC",
            InputFormat::Jxl => "JPEG XL",
        }
    }
}
