//! `#[derive(Model)]` for ofdkit's wire models.
//!
//! One derive writes six impls from the struct definition, so that the
//! wire names and the field rules live in one place. Attributes, all under
//! `json`: on the struct `rename_all = "PascalCase" | "camelCase"` and
//! `rules = path`; on a field `rename = "…"`, `alias = "…"` (accepted when
//! reading), `warn_alias = "…"` with `warn_rule = PATH` (accepted when
//! reading a request, with a violation of that catalog rule), `default`,
//! `flatten` (the `Extra` field that keeps unknown members) and
//! `check = EXPR`. It writes:
//!
//! - `FromJson`: decodes a JSON object member by member as the reader
//!   meets them (no tree), reporting every problem with its path and going on; `Option` fields are optional, other
//!   fields required unless `default`; the `flatten` field collects unknown
//!   members.
//! - `Placeholder`: a stand-in used when a required value cannot be read.
//! - `serde::Serialize`: members in declaration order, absent `Option`s
//!   omitted (never `null`), unknown members written back as read.
//! - `serde::Deserialize`, through the same decoder on the JSON text itself
//!   (`serde_json`'s `RawValue`), so that serde users get the same exact
//!   numbers and accepted spellings: no number passes through `f64`.
//! - `Validate`: walks the fields with their paths, applies each
//!   `#[json(check = EXPR)]` (an `impl Check<FieldType>`; for an `Option`
//!   field, to the value inside when present), then the container's
//!   `#[json(rules = PATH)]` function `fn(&Self, &mut Context)`.
//! - `WireLength`: the characters `Serialize` writes, member by member,
//!   each member name's length a constant: the split rule's count.
//! - `Describe`: the struct's JSON Schema from the same facts: wire names
//!   and aliases, required members (non-`Option`, or `Option` with
//!   `#[json(required_by = RULE)]` for a member a catalog rule requires),
//!   doc comments as descriptions, and what each check can express; the
//!   container's `#[json(schema = PATH)]` function `fn(&mut Value)` adds
//!   what spans members.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::{format_ident, quote};
use syn::{parse_macro_input, Data, DeriveInput, Expr, Fields, LitStr, Path, Type};

#[proc_macro_derive(Model, attributes(json))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}

struct FieldSpec {
    ident: syn::Ident,
    ty: Type,
    wire: String,
    aliases: Vec<String>,
    /// A spelling read with a warning, and the rule it reports.
    warn_alias: Option<(String, Expr)>,
    /// The catalog rule that requires an `Option` member.
    required_by: Option<Expr>,
    /// The doc comment, for the schema's description.
    doc: String,
    optional: bool,
    default: bool,
    flatten: bool,
    checks: Vec<Expr>,
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let name = &input.ident;
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => &named.named,
            _ => return Err(syn::Error::new_spanned(name, "Model needs named fields")),
        },
        _ => return Err(syn::Error::new_spanned(name, "Model derives only for structs")),
    };

    let mut rename_all: Option<String> = None;
    let mut rules: Option<Path> = None;
    let mut schema_extra: Option<Path> = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("json")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rules") {
                rules = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("schema") {
                schema_extra = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("rename_all") {
                rename_all = Some(meta.value()?.parse::<LitStr>()?.value());
            } else {
                return Err(meta.error("expected `rules = path`, `schema = path` or `rename_all = \"…\"`"));
            }
            Ok(())
        })?;
    }

    let mut specs = Vec::new();
    for field in fields {
        let ident = field.ident.clone().expect("named field");
        let mut wire = None;
        let mut aliases = Vec::new();
        let mut warn_alias: Option<String> = None;
        let mut warn_rule: Option<Expr> = None;
        let mut required_by: Option<Expr> = None;
        let mut default = false;
        let mut flatten = false;
        let mut checks = Vec::new();
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("json")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    wire = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("alias") {
                    aliases.push(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("warn_alias") {
                    warn_alias = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("warn_rule") {
                    warn_rule = Some(meta.value()?.parse::<Expr>()?);
                } else if meta.path.is_ident("required_by") {
                    required_by = Some(meta.value()?.parse::<Expr>()?);
                } else if meta.path.is_ident("default") {
                    default = true;
                } else if meta.path.is_ident("flatten") {
                    flatten = true;
                } else if meta.path.is_ident("check") {
                    checks.push(meta.value()?.parse::<Expr>()?);
                } else {
                    return Err(meta.error(
                        "expected rename, alias, warn_alias, warn_rule, required_by, default, flatten or check",
                    ));
                }
                Ok(())
            })?;
        }
        let wire = wire.unwrap_or_else(|| apply_rename_all(&ident.to_string(), rename_all.as_deref()));
        let warn_alias = match (warn_alias, warn_rule) {
            (Some(alias), Some(rule)) => Some((alias, rule)),
            (None, None) => None,
            _ => return Err(syn::Error::new_spanned(&ident, "warn_alias and warn_rule go together")),
        };
        specs.push(FieldSpec {
            optional: option_inner(&field.ty).is_some(),
            ident,
            ty: field.ty.clone(),
            wire,
            aliases,
            warn_alias,
            required_by,
            doc: doc_comment(&field.attrs),
            default,
            flatten,
            checks,
        });
    }

    let from_json = expand_from_json(name, &specs);
    let placeholder = expand_placeholder(name, &specs);
    let validate = expand_validate(name, &specs, rules.as_ref());
    let deserialize = quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                ::ofdkit::decode::deserialize_via_json(deserializer)
            }
        }
    };
    let serialize = expand_serialize(name, &specs);
    let wire_length = expand_wire_length(name, &specs);
    let describe = expand_describe(name, &doc_comment(&input.attrs), &specs, schema_extra.as_ref());
    Ok(quote! { #from_json #placeholder #validate #serialize #wire_length #deserialize #describe })
}

/// The `///` lines of an item, joined into one paragraph.
fn doc_comment(attrs: &[syn::Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &attr.meta {
            if let Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &nv.value {
                lines.push(text.value().trim().to_owned());
            }
        }
    }
    lines.join(" ").trim().to_owned()
}

fn expand_describe(name: &syn::Ident, doc: &str, specs: &[FieldSpec], extra: Option<&Path>) -> TokenStream2 {
    let model = name.to_string();
    let members = specs.iter().filter(|s| !s.flatten).map(|s| {
        let wire = &s.wire;
        let ty = option_inner(&s.ty).unwrap_or(&s.ty);
        let checks = &s.checks;
        let doc = &s.doc;
        let required = (!s.optional && !s.default) || s.required_by.is_some();
        let rule = match &s.required_by {
            Some(rule) => quote! { ::core::option::Option::Some((#rule).id) },
            None => quote! { ::core::option::Option::None },
        };
        let aliases = s.aliases.iter().chain(s.warn_alias.as_ref().map(|(alias, _)| alias));
        quote! {
            {
                let mut field = ::ofdkit::schema::FieldSchema::new(<#ty as ::ofdkit::schema::Describe>::schema(gen));
                #( ::ofdkit::schema::describe_check::<#ty, _>(&(#checks), &mut field); )*
                object.member(#wire, field, #required, #doc, #rule);
                #( object.alias(#aliases, #wire); )*
            }
        }
    });
    let extra = extra.map(|path| quote! { #path(&mut schema); });
    quote! {
        impl ::ofdkit::schema::Describe for #name {
            fn schema(gen: &mut ::ofdkit::schema::SchemaGenerator) -> ::ofdkit::schema::SchemaValue {
                gen.model(#model, |gen| {
                    let mut object = ::ofdkit::schema::ObjectSchema::new(#doc);
                    #( #members )*
                    #[allow(unused_mut)]
                    let mut schema = object.finish();
                    #extra
                    schema
                })
            }
        }
    }
}

fn option_inner(ty: &Type) -> Option<&Type> {
    if let Type::Path(tp) = ty {
        let last = tp.path.segments.last()?;
        if last.ident == "Option" {
            if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                    return Some(inner);
                }
            }
        }
    }
    None
}

fn apply_rename_all(field: &str, rule: Option<&str>) -> String {
    let words: Vec<&str> = field.split('_').filter(|w| !w.is_empty()).collect();
    let capitalize = |w: &str| {
        let mut c = w.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => String::new(),
        }
    };
    match rule {
        Some("PascalCase") => words.iter().map(|w| capitalize(w)).collect(),
        Some("camelCase") => {
            words.iter().enumerate().map(|(i, w)| if i == 0 { (*w).to_owned() } else { capitalize(w) }).collect()
        }
        _ => field.to_owned(),
    }
}

fn expand_from_json(name: &syn::Ident, specs: &[FieldSpec]) -> TokenStream2 {
    let slots = specs.iter().filter(|s| !s.flatten).map(|s| {
        let slot = format_ident!("slot_{}", s.ident);
        let ty = option_inner(&s.ty).unwrap_or(&s.ty);
        quote! { let mut #slot: ::ofdkit::decode::Slot<#ty> = ::ofdkit::decode::Slot::Absent; }
    });
    let arms = specs.iter().filter(|s| !s.flatten).map(|s| {
        let slot = format_ident!("slot_{}", s.ident);
        let wire = &s.wire;
        let aliases = &s.aliases;
        let warned = s.warn_alias.as_ref().map(|(alias, rule)| {
            quote! {
                #alias => {
                    #slot.fill(#wire, value, cx);
                    ::ofdkit::decode::warned_alias(#alias, #wire, #rule, cx);
                }
            }
        });
        quote! { #wire #( | #aliases )* => #slot.fill(#wire, value, cx), #warned }
    });
    let flatten = specs.iter().find(|s| s.flatten);
    let (extra_decl, unknown) = match flatten {
        Some(s) => {
            let ident = format_ident!("extra_{}", s.ident);
            let ty = &s.ty;
            (
                quote! { let mut #ident: #ty = ::core::default::Default::default(); },
                quote! { ::ofdkit::decode::unknown_member(key, value, Some(&mut #ident), cx) },
            )
        }
        None => (quote! {}, quote! { ::ofdkit::decode::unknown_member(key, value, None, cx) }),
    };
    let inits = specs.iter().map(|s| {
        let ident = &s.ident;
        if s.flatten {
            let extra = format_ident!("extra_{}", s.ident);
            return quote! { #ident: #extra };
        }
        let slot = format_ident!("slot_{}", s.ident);
        let wire = &s.wire;
        if s.optional {
            quote! { #ident: #slot.optional() }
        } else if s.default {
            quote! { #ident: #slot.or_default() }
        } else {
            quote! { #ident: #slot.required(#wire, cx) }
        }
    });
    quote! {
        impl ::ofdkit::decode::FromJson for #name {
            fn from_json(
                value: ::ofdkit::json::Node<'_, '_>,
                cx: &mut ::ofdkit::context::Context,
            ) -> ::core::option::Option<Self> {
                let mut members = ::ofdkit::decode::expect_object(value, cx)?;
                #( #slots )*
                #extra_decl
                while let ::core::option::Option::Some((key, value)) = members.next() {
                    let key: &str = &key;
                    match key {
                        #( #arms )*
                        _ => #unknown,
                    }
                }
                ::core::option::Option::Some(#name { #( #inits, )* })
            }
        }
    }
}

fn expand_placeholder(name: &syn::Ident, specs: &[FieldSpec]) -> TokenStream2 {
    let inits = specs.iter().map(|s| {
        let ident = &s.ident;
        if s.optional {
            quote! { #ident: ::core::option::Option::None }
        } else if s.default || s.flatten {
            quote! { #ident: ::core::default::Default::default() }
        } else {
            quote! { #ident: ::ofdkit::decode::Placeholder::placeholder() }
        }
    });
    quote! {
        impl ::ofdkit::decode::Placeholder for #name {
            fn placeholder() -> Self {
                #name { #( #inits, )* }
            }
        }
    }
}

fn expand_validate(name: &syn::Ident, specs: &[FieldSpec], rules: Option<&Path>) -> TokenStream2 {
    let fields = specs.iter().filter(|s| !s.flatten).map(|s| {
        let ident = &s.ident;
        let wire = &s.wire;
        let ty = &s.ty;
        let checks = &s.checks;
        if s.optional {
            // An absent member has nothing to check: it is not descended
            // into at all, which spares the path a push and a pop for each
            // of the many optional members a model usually lacks.
            let walk = quote! {
                if let ::core::option::Option::Some(inner) = &self.#ident {
                    cx.push_key(#wire);
                    #( ::ofdkit::validate::Check::check(&(#checks), inner, cx); )*
                    ::ofdkit::validate::Validate::validate(inner, cx);
                    cx.pop();
                }
            };
            return if checks.is_empty() {
                quote! { if !<#ty as ::ofdkit::validate::Validate>::LEAF { #walk } }
            } else {
                walk
            };
        }
        if checks.is_empty() {
            quote! {
                if !<#ty as ::ofdkit::validate::Validate>::LEAF {
                    cx.push_key(#wire);
                    ::ofdkit::validate::Validate::validate(&self.#ident, cx);
                    cx.pop();
                }
            }
        } else {
            quote! {
                cx.push_key(#wire);
                #( ::ofdkit::validate::Check::check(&(#checks), &self.#ident, cx); )*
                ::ofdkit::validate::Validate::validate(&self.#ident, cx);
                cx.pop();
            }
        }
    });
    let rules = rules.map(|path| quote! { #path(self, cx); });
    quote! {
        impl ::ofdkit::validate::Validate for #name {
            fn validate(&self, cx: &mut ::ofdkit::context::Context) {
                #rules
                #( #fields )*
            }
        }
    }
}

fn expand_serialize(name: &syn::Ident, specs: &[FieldSpec]) -> TokenStream2 {
    let counts = specs.iter().map(|s| {
        let ident = &s.ident;
        if s.flatten {
            quote! { len += self.#ident.len(); }
        } else if s.optional {
            quote! { len += usize::from(self.#ident.is_some()); }
        } else {
            quote! { len += 1; }
        }
    });
    let entries = specs.iter().map(|s| {
        let ident = &s.ident;
        let wire = &s.wire;
        if s.flatten {
            quote! { self.#ident.serialize_members(&mut map)?; }
        } else if s.optional {
            quote! {
                if let ::core::option::Option::Some(value) = &self.#ident {
                    map.serialize_entry(#wire, value)?;
                }
            }
        } else {
            quote! { map.serialize_entry(#wire, &self.#ident)?; }
        }
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                let mut len = 0usize;
                #( #counts )*
                let mut map = serializer.serialize_map(::core::option::Option::Some(len))?;
                #( #entries )*
                map.end()
            }
        }
    }
}

/// A member name's length as `serde_json` writes it as a key, quotes and
/// colon included: a constant in the generated count.
fn member_name_chars(wire: &str) -> usize {
    let escaped: usize = wire
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
            c if u32::from(c) < 0x20 => 6,
            _ => 1,
        })
        .sum();
    escaped + 3
}

/// `WireLength`: the length of what `Serialize` writes, member by member
/// in the same order, each name's length a constant.
fn expand_wire_length(name: &syn::Ident, specs: &[FieldSpec]) -> TokenStream2 {
    let entries = specs.iter().map(|s| {
        let ident = &s.ident;
        let name_chars = member_name_chars(&s.wire);
        if s.flatten {
            // The kept members come with the commas between them: one
            // more comma joins them to the rest.
            quote! {
                chars += self.#ident.members_chars();
                members += usize::from(!self.#ident.is_empty());
            }
        } else if s.optional {
            quote! {
                if let ::core::option::Option::Some(value) = &self.#ident {
                    chars += #name_chars + ::ofdkit::json::WireLength::wire_chars(value);
                    members += 1;
                }
            }
        } else {
            quote! {
                chars += #name_chars + ::ofdkit::json::WireLength::wire_chars(&self.#ident);
                members += 1;
            }
        }
    });
    quote! {
        impl ::ofdkit::json::WireLength for #name {
            fn wire_chars(&self) -> usize {
                // Braces, and a comma between each two members.
                let mut chars = 2usize;
                let mut members = 0usize;
                #( #entries )*
                chars + members.saturating_sub(1)
            }
        }
    }
}
