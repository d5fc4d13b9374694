//! `format=auto`: the best output format the client says it accepts, AVIF first, then WebP,
//! then JPEG (which every client shows); for an animation that stays animated, WebP, then GIF.
//! The answer must carry `Vary: Accept`.

use imgpipe_names::OutputFormat;

/// Picks AVIF, WebP or JPEG from an `Accept` header value. A type counts only when named
/// exactly with a q-value above zero: wildcards (`image/*`, `*/*`) do not, because clients send
/// them whatever they can decode.
pub fn negotiate(accept: Option<&str>) -> OutputFormat {
    [OutputFormat::Avif, OutputFormat::Webp]
        .into_iter()
        .find(|f| accepts(accept, f.mime_type()))
        .unwrap_or(OutputFormat::Jpeg)
}

/// For an animated input: WebP when the client names it, else GIF (which every client shows
/// animated); AVIF and JPEG would keep one frame.
pub fn negotiate_animated(accept: Option<&str>) -> OutputFormat {
    if accepts(accept, OutputFormat::Webp.mime_type()) {
        OutputFormat::Webp
    } else {
        OutputFormat::Gif
    }
}

/// Whether the `Accept` value names `wanted` with a q-value above zero.
fn accepts(accept: Option<&str>, wanted: &str) -> bool {
    accept.unwrap_or("").split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let media = parts.next().unwrap_or("");
        // "q=0" (any case, any spacing) refuses; an unreadable q-value counts as 0 too.
        let refused = parts.any(|p| {
            p.split_once('=').is_some_and(|(name, q)| {
                name.trim().eq_ignore_ascii_case("q")
                    && !q
                        .trim()
                        .parse::<f32>()
                        .is_ok_and(|q| q.is_finite() && q > 0.0)
            })
        });
        media.eq_ignore_ascii_case(wanted) && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_avif_then_webp_then_jpeg() {
        let chrome = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
        assert_eq!(negotiate(Some(chrome)), OutputFormat::Avif);
        assert_eq!(negotiate(Some("image/webp,*/*")), OutputFormat::Webp);
        assert_eq!(negotiate(Some("IMAGE/WEBP")), OutputFormat::Webp);
        assert_eq!(negotiate(Some("image/png, image/jpeg")), OutputFormat::Jpeg);
        assert_eq!(negotiate(Some("image/*")), OutputFormat::Jpeg);
        assert_eq!(negotiate(None), OutputFormat::Jpeg);
    }

    #[test]
    fn animations_get_webp_or_gif() {
        let chrome = "image/avif,image/webp,image/apng,*/*;q=0.8";
        assert_eq!(negotiate_animated(Some(chrome)), OutputFormat::Webp);
        assert_eq!(
            negotiate_animated(Some("image/avif,*/*")),
            OutputFormat::Gif
        );
        assert_eq!(negotiate_animated(None), OutputFormat::Gif);
    }

    #[test]
    fn q_zero_refuses() {
        assert_eq!(
            negotiate(Some("image/avif;q=0, image/webp;q=0.5")),
            OutputFormat::Webp
        );
        assert_eq!(negotiate(Some("image/avif; q=0.0")), OutputFormat::Jpeg);
        assert_eq!(
            negotiate(Some("image/avif;Q = 0,image/webp;q=NaN")),
            OutputFormat::Jpeg
        );
    }
}
