//! Output when the input has errors: the function as written plus the errors,
//! so the user sees the real problem and not a cascade of missing names.

use proc_macro2::TokenStream;
use quote::quote;

pub fn component(input: TokenStream, error: syn::Error) -> TokenStream {
    let error = error.to_compile_error();
    quote! {
        #error
        #input
    }
}
