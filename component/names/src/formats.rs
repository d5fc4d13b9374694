//! The encodings read and written, with what a server and a file system need to know of each.

names! {
    /// Encodings the processor writes; WIT `output-format`.
    pub enum OutputFormat: "output-format" {
        Jpeg = "jpeg" | "jpg",
        Png = "png",
        Webp = "webp",
        WebpLossless = "webp-lossless",
        Avif = "avif",
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
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Jpeg => "jpg",
            OutputFormat::Png => "png",
            OutputFormat::Webp | OutputFormat::WebpLossless => "webp",
            OutputFormat::Avif => "avif",
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
        }
    }

    /// Whether the encoding can store an alpha channel.
    pub fn supports_alpha(self) -> bool {
        !matches!(self, OutputFormat::Jpeg)
    }

    /// The largest width or height the format can store: 14 bits in WebP's header, 16 in
    /// JPEG's, 31 in PNG's; AVIF is held to JPEG's (an AV1 frame stores 16 bits).
    pub fn max_dimension(self) -> u32 {
        match self {
            OutputFormat::Webp | OutputFormat::WebpLossless => 16_383,
            OutputFormat::Jpeg | OutputFormat::Avif => 65_535,
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
        }
    }
}
