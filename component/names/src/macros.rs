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

/// Every `mirror_enum!` a binding layer needs, with each enum's variants listed here once:
/// `imgpipe_names::mirror_wit_enums!(wit);` where `wit` is the module (or alias) holding the
/// generated types of the WIT interface `types`.
#[macro_export]
macro_rules! mirror_wit_enums {
    ($wit:ident) => {
        $crate::mirror_enum!(
            $crate::OutputFormat,
            $wit::OutputFormat {
                Jpeg,
                Png,
                Webp,
                WebpLossless,
                Avif
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
                Tiff
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
            $crate::ChromaSubsampling,
            $wit::ChromaSubsampling { Yuv420, Yuv444 }
        );
        $crate::mirror_enum!(
            $crate::LimitKind,
            $wit::LimitKind {
                Bytes,
                Pixels,
                Dimensions
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
