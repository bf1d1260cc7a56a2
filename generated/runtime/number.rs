//! What a parameter the document types as `number` accepts.

/// A value for a parameter the document types as `number` (sent as a JSON number):
/// every integer and float primitive, so `.limit(20)` and `.limit(20.0)` both work.
///
/// Integers beyond 2^53 lose precision, as they would in the API's JSON.
pub trait Number {
    /// The value as the `f64` it is sent as.
    fn to_f64(self) -> f64;
}

/// `Number` for primitives that `as` converts to `f64`.
macro_rules! number {
    ($($ty:ty),*) => {
        $(
            impl Number for $ty {
                #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
                fn to_f64(self) -> f64 {
                    self as f64
                }
            }
        )*
    };
}

number!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64);
