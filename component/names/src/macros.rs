//! `names!`: declares an enum whose values each have a canonical name and optional aliases, and
//! implements [`crate::Name`], `Display`, `FromStr`, and inherent `ALL` / `as_str` for it.

/// `names! { /// doc  pub enum Fit: "fit" { Inside = "inside", Cover = "cover" | "crop", } }`
macro_rules! names {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $kind:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $text:literal $(| $alias:literal)*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $crate::Name for $name {
            const KIND: &'static str = $kind;
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
            fn aliases(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($alias),*],)+ }
            }
        }

        impl $name {
            /// Every value, in the WIT's order.
            pub const ALL: &'static [$name] = <$name as $crate::Name>::ALL;

            /// The canonical name, as written in the WIT.
            pub fn as_str(self) -> &'static str {
                <$name as $crate::Name>::as_str(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownName;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                <$name as $crate::Name>::parse(text)
            }
        }
    };
}

/// Conversions both ways between a names enum and its twin generated from the WIT (by
/// wit-bindgen or wasmtime's bindgen), which has the same variants under the same identifiers.
/// The matches are exhaustive, so a value added on one side only does not compile.
///
/// `imgpipe_names::mirror_enum!(imgpipe_names::Fit, wit::Fit { Inside, Cover, Contain, Fill });`
#[macro_export]
macro_rules! mirror_enum {
    ($ours:path, $theirs:path { $($variant:ident),+ $(,)? }) => {
        impl From<$ours> for $theirs {
            fn from(value: $ours) -> Self {
                type Ours = $ours;
                type Theirs = $theirs;
                match value { $(Ours::$variant => Theirs::$variant,)+ }
            }
        }
        impl From<$theirs> for $ours {
            fn from(value: $theirs) -> Self {
                type Ours = $ours;
                type Theirs = $theirs;
                match value { $(Theirs::$variant => Ours::$variant,)+ }
            }
        }
    };
}

/// `From` both ways between a record here and its generated WIT twin, field by field:
/// `plain` fields convert with `Into`, `optional` ones (`Option<T>`) with `map(Into::into)`; a
/// record with both lists its plain fields first (`{ plain: a, b; optional: c }`).
#[macro_export]
macro_rules! mirror_record {
    ($ours:path, $theirs:path { plain: $($plain:ident),+; optional: $($optional:ident),+ $(,)? }) => {
        impl From<$ours> for $theirs {
            fn from(value: $ours) -> Self {
                type Theirs = $theirs;
                Theirs {
                    $($plain: $crate::mirror_record!(@plain value.$plain),)+
                    $($optional: $crate::mirror_record!(@optional value.$optional),)+
                }
            }
        }
        impl From<$theirs> for $ours {
            fn from(value: $theirs) -> Self {
                type Ours = $ours;
                Ours {
                    $($plain: $crate::mirror_record!(@plain value.$plain),)+
                    $($optional: $crate::mirror_record!(@optional value.$optional),)+
                }
            }
        }
    };
    ($ours:path, $theirs:path { $kind:ident: $($field:ident),+ $(,)? }) => {
        impl From<$ours> for $theirs {
            fn from(value: $ours) -> Self {
                type Theirs = $theirs;
                Theirs { $($field: $crate::mirror_record!(@$kind value.$field),)+ }
            }
        }
        impl From<$theirs> for $ours {
            fn from(value: $theirs) -> Self {
                type Ours = $ours;
                Ours { $($field: $crate::mirror_record!(@$kind value.$field),)+ }
            }
        }
    };
    (@plain $value:expr) => { $value.into() };
    (@optional $value:expr) => { $value.map(Into::into) };
}

/// Every `mirror_enum!` and `mirror_record!` a binding layer needs (the options record and the
/// records and enums it holds), with each one's variants and fields listed here once:
/// `imgpipe_names::mirror_wit_types!(wit);` where `wit` is the module (or alias) holding the
/// generated types of the WIT interface `types`.
#[macro_export]
macro_rules! mirror_wit_types {
    ($wit:ident) => {
        $crate::mirror_enum!(
            $crate::OutputFormat,
            $wit::OutputFormat {
                Jpeg,
                Png,
                Webp,
                WebpLossless,
                Avif,
                Gif
            }
        );
        $crate::mirror_enum!(
            $crate::InputFormat,
            $wit::InputFormat {
                Jpeg,
                Png,
                Webp,
                Gif,
                Bmp,
                Tiff,
                Avif,
                Heic,
                Jxl
            }
        );
        $crate::mirror_enum!(
            $crate::Fit,
            $wit::Fit {
                Inside,
                Cover,
                Contain,
                Fill
            }
        );
        $crate::mirror_enum!(
            $crate::Filter,
            $wit::Filter {
                Lanczos3,
                Nearest,
                Bilinear,
                CatmullRom,
                Mitchell
            }
        );
        $crate::mirror_enum!($crate::ColorProfile, $wit::ColorProfile { Srgb, Keep, P3 });
        $crate::mirror_enum!(
            $crate::Gravity,
            $wit::Gravity {
                Centre,
                North,
                NorthEast,
                East,
                SouthEast,
                South,
                SouthWest,
                West,
                NorthWest,
                Entropy,
                Attention
            }
        );
        $crate::mirror_record!($crate::Color, $wit::Color { plain: r, g, b, a });
        $crate::mirror_record!(
            $crate::Region,
            $wit::Region {
                plain: left,
                top,
                width,
                height
            }
        );
        $crate::mirror_record!($crate::Point, $wit::Point { plain: x, y });
        $crate::mirror_enum!($crate::Placeholder, $wit::Placeholder { Blurhash, Thumbhash });
        $crate::mirror_record!(
            $crate::Overlay,
            $wit::Overlay {
                plain: image;
                optional: gravity,
                x,
                y,
                opacity,
                scale,
                tile
            }
        );
        $crate::mirror_record!(
            $crate::Edges,
            $wit::Edges {
                plain: top,
                right,
                bottom,
                left
            }
        );
        // Every field: a field missing here, or one the WIT lacks, does not compile.
        $crate::mirror_record!(
            $crate::Options,
            $wit::Options {
                optional: quality,
                max_width,
                max_height,
                fit,
                filter,
                background,
                auto_orient,
                allow_enlarge,
                max_input_pixels,
                max_input_bytes,
                fast_shrink_on_load,
                color_profile,
                keep_metadata,
                rotate,
                flip,
                flop,
                progressive,
                chroma_subsampling,
                dpr,
                trim,
                extract,
                gravity,
                focal_point,
                blur,
                sharpen,
                sharpen_flat,
                sharpen_jagged,
                extend,
                max_bytes,
                effort,
                optimize_coding,
                placeholder,
                overlay,
                animated,
                max_animation_frames
            }
        );
        $crate::mirror_enum!(
            $crate::ChromaSubsampling,
            $wit::ChromaSubsampling { Yuv420, Yuv444 }
        );
        $crate::mirror_enum!(
            $crate::LimitKind,
            $wit::LimitKind {
                Bytes,
                Pixels,
                Dimensions,
                Frames
            }
        );
        $crate::mirror_enum!(
            $crate::ErrorKind,
            $wit::ErrorKind {
                EmptyInput,
                UnsupportedFormat,
                DecodeFailed,
                TooLarge,
                InvalidOption,
                EncodeFailed
            }
        );
    };
}
