// C++ names as people read them: a demangler for the common subset of the
// Itanium C++ ABI's mangling (https://itanium-cxx-abi.github.io/cxx-abi/abi.html#mangling),
// which GCC and Clang use on Linux. Covered: nested and std:: names, ctors and
// dtors, operators, const/ref-qualified methods, template arguments (types,
// integer and bool literals, packs) and parameters, substitutions (S_, Sn_,
// St Sa Sb Ss Si So Sd), builtin, qualified, pointer, reference, function,
// array and pointer-to-member types, local names, lambdas, ABI tags,
// vtable/typeinfo/guard names, and GCC's
// ".cold"/".isra.0" clone suffixes. Output follows c++filt's style
// ("std::vector<int, std::allocator<int> >::push_back(int const&)").
// Anything outside the subset gives undefined: the caller keeps the mangled name.

const BUILTIN: Record<string, string> = {
  v: "void",
  w: "wchar_t",
  b: "bool",
  c: "char",
  a: "signed char",
  h: "unsigned char",
  s: "short",
  t: "unsigned short",
  i: "int",
  j: "unsigned int",
  l: "long",
  m: "unsigned long",
  x: "long long",
  y: "unsigned long long",
  n: "__int128",
  o: "unsigned __int128",
  f: "float",
  d: "double",
  e: "long double",
  g: "__float128",
  z: "...",
};

const BUILTIN_D: Record<string, string> = {
  n: "decltype(nullptr)",
  i: "char32_t",
  s: "char16_t",
  u: "char8_t",
  a: "auto",
  c: "decltype(auto)",
  d: "decimal64",
  e: "decimal128",
  f: "decimal32",
  h: "half",
};

/** St-style abbreviations, spelled out as c++filt does; `last` is what their ctors and dtors are called. */
const STD_SUBSTITUTIONS: Record<string, { text: string; last: string }> = {
  a: { text: "std::allocator", last: "allocator" },
  b: { text: "std::basic_string", last: "basic_string" },
  s: {
    text: "std::basic_string<char, std::char_traits<char>, std::allocator<char> >",
    last: "basic_string",
  },
  i: { text: "std::basic_istream<char, std::char_traits<char> >", last: "basic_istream" },
  o: { text: "std::basic_ostream<char, std::char_traits<char> >", last: "basic_ostream" },
  d: { text: "std::basic_iostream<char, std::char_traits<char> >", last: "basic_iostream" },
};

const OPERATORS: Record<string, string> = {
  nw: "new",
  na: "new[]",
  dl: "delete",
  da: "delete[]",
  ps: "+",
  ng: "-",
  ad: "&",
  de: "*",
  co: "~",
  pl: "+",
  mi: "-",
  ml: "*",
  dv: "/",
  rm: "%",
  an: "&",
  or: "|",
  eo: "^",
  aS: "=",
  pL: "+=",
  mI: "-=",
  mL: "*=",
  dV: "/=",
  rM: "%=",
  aN: "&=",
  oR: "|=",
  eO: "^=",
  ls: "<<",
  rs: ">>",
  lS: "<<=",
  rS: ">>=",
  eq: "==",
  ne: "!=",
  lt: "<",
  gt: ">",
  le: "<=",
  ge: ">=",
  ss: "<=>",
  nt: "!",
  aa: "&&",
  oo: "||",
  pp: "++",
  mm: "--",
  cm: ",",
  pm: "->*",
  pt: "->",
  cl: "()",
  ix: "[]",
  qu: "?",
};

/** Thrown (one instance, no stack captured) when a name leaves the covered subset. */
class Unsupported {
  constructor(readonly why: string) {}
}

/** "operator<< <char>": c++filt keeps an operator's last "<" apart from the arguments' "<". */
function spaced(name: string, args: string): string {
  return name.endsWith("<") ? ` ${args}` : args;
}

/**
 * A type as text, with function and array types kept apart so that a pointer
 * or reference to one goes inside: "void (*)(int)", "int (&) [4]".
 */
interface Type {
  text: string;
  /** For a name: its last component's source name (what its ctors and dtors are called). */
  last?: string;
  /** Function: return type, parameters and the declarator ("*", "&", "* const") built around it. */
  fn?: { ret: string; params: string; declarator: string; suffix: string };
  array?: { element: string; dims: string; declarator: string };
  /** A template parameter pack: what it expands to, each element wrapped alike ("Args&&…" → "int&&, char&&"). */
  pack?: Type[];
  /** A reference, and what it refers to: a reference to a reference collapses (T& && is T&). */
  ref?: { kind: "&" | "&&"; to: Type };
}

function render(type: Type): string {
  if (type.fn !== undefined) {
    const { ret, params, declarator, suffix } = type.fn;
    return declarator === "" ? `${ret} (${params})${suffix}` : `${ret} (${declarator})(${params})${suffix}`;
  }
  if (type.array !== undefined) {
    const { element, dims, declarator } = type.array;
    return declarator === "" ? `${element} ${dims}` : `${element} (${declarator}) ${dims}`;
  }
  return type.text;
}

function plain(text: string, last?: string): Type {
  return last === undefined ? { text } : { text, last };
}

/** Applies "*", "&", "&&", " const"… to a type, inside the declarator of function and array types. */
function packOf(elements: Type[]): Type {
  return { text: elements.map(render).join(", "), pack: elements };
}

/** cv-qualifiers: after a function's parameters, on an array's elements, else after the type. */
function qualify(type: Type, qualifiers: string): Type {
  if (type.pack !== undefined) return packOf(type.pack.map((element) => qualify(element, qualifiers)));
  if (type.fn !== undefined) {
    const fn = { ...type.fn, suffix: type.fn.suffix + qualifiers };
    return { text: render({ text: "", fn }), fn };
  }
  if (type.array !== undefined && type.array.declarator === "") {
    const array = { ...type.array, element: type.array.element + qualifiers };
    return { text: render({ text: "", array }), array };
  }
  // const on what is const already (a template parameter "T const" made const again) stays one.
  if (qualifiers === " const" && type.text.endsWith(" const")) return type;
  return wrap(type, qualifiers);
}

function reference(type: Type, kind: "&" | "&&"): Type {
  if (type.pack !== undefined) return packOf(type.pack.map((element) => reference(element, kind)));
  if (type.ref !== undefined) {
    const collapsed = type.ref.kind === "&" || kind === "&" ? "&" : "&&";
    return { ...wrap(type.ref.to, collapsed), ref: { kind: collapsed, to: type.ref.to } };
  }
  return { ...wrap(type, kind), ref: { kind, to: type } };
}

function wrap(type: Type, token: string): Type {
  if (type.pack !== undefined) return packOf(type.pack.map((element) => wrap(element, token)));
  if (type.fn !== undefined) {
    const fn = { ...type.fn, declarator: type.fn.declarator + token };
    return { text: render({ text: "", fn }), fn };
  }
  if (type.array !== undefined) {
    const array = { ...type.array, declarator: type.array.declarator + token };
    return { text: render({ text: "", array }), array };
  }
  return plain(type.text + token);
}

interface Name {
  text: string;
  /** The last component's source name (what a ctor or dtor is called). */
  last: string;
  /** The name ends in template arguments (a function template: its return type is encoded). */
  template: boolean;
  /** The last component is a ctor, dtor or conversion operator (no return type even if templated). */
  noReturn: boolean;
  /** Method qualifiers from N K/V/r/R/O … E. */
  qualifiers: string;
}

class Parser {
  at = 0;
  readonly subs: Type[] = [];
  templateArgs: Type[] = [];

  constructor(readonly input: string) {}

  peek(offset = 0): string {
    return this.input[this.at + offset] ?? "";
  }

  eat(text: string): boolean {
    if (!this.input.startsWith(text, this.at)) return false;
    this.at += text.length;
    return true;
  }

  expect(text: string): void {
    if (!this.eat(text)) throw new Unsupported(`expected ${text} at ${this.at}`);
  }

  number(): number {
    const match = /^n?\d+/.exec(this.input.slice(this.at));
    if (match === null) throw new Unsupported(`number expected at ${this.at}`);
    this.at += match[0].length;
    return match[0].startsWith("n") ? -Number(match[0].slice(1)) : Number(match[0]);
  }

  /** <seq-id> in base 36 (digits and upper-case letters), then "_". */
  seqId(): number {
    if (this.eat("_")) return 0;
    const match = /^[0-9A-Z]+/.exec(this.input.slice(this.at));
    if (match === null) throw new Unsupported("seq-id");
    this.at += match[0].length;
    this.expect("_");
    return Number.parseInt(match[0], 36) + 1;
  }

  sourceName(): string {
    const length = this.number();
    if (length <= 0 || this.at + length > this.input.length) throw new Unsupported("source name");
    const name = this.input.slice(this.at, this.at + length);
    this.at += length;
    // GCC names anonymous namespaces _GLOBAL__N_1.
    return name.startsWith("_GLOBAL__N") ? "(anonymous namespace)" : name;
  }

  abiTags(name: string): string {
    let tagged = name;
    while (this.peek() === "B") {
      this.at++;
      tagged += `[abi:${this.sourceName()}]`;
    }
    return tagged;
  }

  encoding(): string {
    if (this.peek() === "T" || this.peek() === "G") return this.specialName();
    const name = this.name(true);
    if (this.at >= this.input.length || this.peek() === "E" || this.peek() === ".") return name.text;
    const savedArgs = this.templateArgs;
    let ret = "";
    if (name.template && !name.noReturn) ret = `${render(this.type())} `;
    const params = this.bareFunctionType();
    this.templateArgs = savedArgs;
    return `${ret}${name.text}(${params})${name.qualifiers}`;
  }

  specialName(): string {
    const kinds: Record<string, string> = {
      TV: "vtable for ",
      TI: "typeinfo for ",
      TS: "typeinfo name for ",
    };
    const two = this.input.slice(this.at, this.at + 2);
    if (kinds[two] !== undefined) {
      this.at += 2;
      return kinds[two] + render(this.type());
    }
    if (this.eat("GV")) return `guard variable for ${this.name().text}`;
    throw new Unsupported(`special name ${two}`);
  }

  bareFunctionType(): string {
    const params: string[] = [];
    while (this.at < this.input.length && this.peek() !== "E" && this.peek() !== ".") {
      const type = this.type();
      if (type.pack !== undefined) params.push(...type.pack.map(render));
      else params.push(render(type));
    }
    if (params.length === 1 && params[0] === "void") return "";
    return params.join(", ");
  }

  /** @param encoding the function's own name: its template arguments are what T_ refers to. */
  name(encoding = false): Name {
    if (this.peek() === "N") return this.nestedName(encoding);
    if (this.peek() === "Z") return this.localName();
    let text: string;
    let last: string;
    if (this.peek() === "S" && this.peek(1) !== "t") {
      // A substitution, which must be followed by template arguments here.
      const sub = this.substitution();
      text = render(sub);
      last = sub.last ?? text;
    } else {
      const std = this.eat("St");
      const unqualified = this.unqualifiedName("");
      text = (std ? "std::" : "") + unqualified.text;
      last = unqualified.last;
      if (this.peek() !== "I")
        return { text, last, template: false, noReturn: unqualified.noReturn, qualifiers: "" };
      this.subs.push(plain(text));
    }
    const args = this.templateArgsList();
    if (encoding) this.templateArgs = args.types;
    text += spaced(text, args.text);
    // As a function's name the template-id is no candidate; as a type, type() adds it.
    return { text, last, template: true, noReturn: false, qualifiers: "" };
  }

  nestedName(encoding: boolean): Name {
    this.expect("N");
    let qualifiers = "";
    if (this.eat("r")) qualifiers += " restrict";
    if (this.eat("V")) qualifiers += " volatile";
    if (this.eat("K")) qualifiers = ` const${qualifiers}`;
    if (this.eat("R")) qualifiers += " &";
    else if (this.eat("O")) qualifiers += " &&";
    let text = "";
    let last = "";
    let template = false;
    let noReturn = false;
    while (!this.eat("E")) {
      if (this.at >= this.input.length) throw new Unsupported("unterminated nested name");
      template = false;
      if (this.peek() === "I") {
        if (text === "") throw new Unsupported("template arguments without a name");
        const args = this.templateArgsList();
        if (encoding) this.templateArgs = args.types;
        text += spaced(text, args.text);
        template = true;
      } else if (this.peek() === "S" && this.peek(1) !== "t" && text === "") {
        const sub = this.substitution();
        text = render(sub);
        last = sub.last ?? text.slice(text.lastIndexOf("::") + 2);
        if (this.peek() === "E") return { text, last, template, noReturn, qualifiers };
        continue; // a substitution is not added again
      } else if (this.peek() === "T" && text === "") {
        text = render(this.templateParam());
      } else {
        if (text === "" && this.eat("St")) text = "std";
        const unqualified = this.unqualifiedName(last);
        text = text === "" ? unqualified.text : `${text}::${unqualified.text}`;
        if (unqualified.last !== "") last = unqualified.last;
        noReturn = unqualified.noReturn;
      }
      // Every prefix is a substitution candidate; the complete name is not (hence the check).
      if (this.peek() !== "E") this.subs.push(plain(text, last));
    }
    return { text, last, template, noReturn, qualifiers };
  }

  localName(): Name {
    this.expect("Z");
    const outer = this.encoding();
    this.expect("E");
    if (this.eat("s")) {
      this.discriminator();
      return { text: `${outer}::string literal`, last: "", template: false, noReturn: false, qualifiers: "" };
    }
    const inner = this.name();
    this.discriminator();
    return { ...inner, text: `${outer}::${inner.text}` };
  }

  discriminator(): void {
    if (!this.eat("_")) return;
    if (this.eat("_")) {
      this.number();
      this.expect("_");
    } else this.number();
  }

  unqualifiedName(enclosing: string): { text: string; last: string; noReturn: boolean } {
    const c = this.peek();
    if (/\d/.test(c)) {
      const name = this.abiTags(this.sourceName());
      return { text: name, last: name.replace(/\[abi:[^\]]*\]/g, ""), noReturn: false };
    }
    if (c === "C" && /[1-5I]/.test(this.peek(1))) {
      this.at += 2;
      if (this.input[this.at - 1] === "I") this.type(); // inheriting constructor: the base class
      if (enclosing === "") throw new Unsupported("constructor outside a class");
      return { text: this.abiTags(enclosing), last: "", noReturn: true };
    }
    if (c === "D" && /[0-5]/.test(this.peek(1))) {
      this.at += 2;
      if (enclosing === "") throw new Unsupported("destructor outside a class");
      return { text: this.abiTags(`~${enclosing}`), last: "", noReturn: true };
    }
    if (this.eat("Ul")) {
      // A lambda's closure type: {lambda(int)#2}, numbered from 1 in its scope.
      const params = this.bareFunctionType();
      this.expect("E");
      const number = /\d/.test(this.peek()) ? this.number() + 2 : 1;
      this.expect("_");
      const name = `{lambda(${params})#${number}}`;
      return { text: name, last: name, noReturn: false };
    }
    if (this.eat("Ut")) {
      const number = /\d/.test(this.peek()) ? this.number() + 2 : 1;
      this.expect("_");
      const name = `{unnamed type#${number}}`;
      return { text: name, last: name, noReturn: false };
    }
    if (this.eat("cv")) {
      const target = render(this.type());
      return { text: `operator ${target}`, last: "", noReturn: true };
    }
    if (this.eat("li")) return { text: `operator"" ${this.sourceName()}`, last: "", noReturn: false };
    const operator = OPERATORS[this.input.slice(this.at, this.at + 2)];
    if (operator !== undefined) {
      this.at += 2;
      const spaced = /^[a-z]/.test(operator) ? ` ${operator}` : operator;
      return { text: this.abiTags(`operator${spaced}`), last: "", noReturn: false };
    }
    throw new Unsupported(`unqualified name at ${this.at}`);
  }

  templateArgsList(): { text: string; types: Type[] } {
    this.expect("I");
    const types: Type[] = [];
    while (!this.eat("E")) {
      if (this.at >= this.input.length) throw new Unsupported("unterminated template arguments");
      types.push(this.templateArg());
    }
    const inner = types
      .map(render)
      .filter((text) => text !== "")
      .join(", ");
    // c++filt's spelling: a space between two closing brackets.
    return { text: `<${inner}${inner.endsWith(">") ? " " : ""}>`, types };
  }

  templateArg(): Type {
    if (this.eat("L")) {
      if (this.peek() === "_" && this.peek(1) === "Z") {
        this.at += 2;
        const name = this.encoding();
        this.expect("E");
        return plain(name);
      }
      const type = render(this.type());
      const value = this.number();
      this.expect("E");
      if (type === "bool") return plain(value === 0 ? "false" : "true");
      if (type === "int") return plain(String(value));
      if (type === "unsigned int") return plain(`${value}u`);
      if (type === "long") return plain(`${value}l`);
      if (type === "unsigned long") return plain(`${value}ul`);
      return plain(`(${type})${value}`);
    }
    if (this.eat("J")) {
      const pack: Type[] = [];
      while (!this.eat("E")) {
        if (this.at >= this.input.length) throw new Unsupported("unterminated pack");
        pack.push(this.templateArg());
      }
      return packOf(pack);
    }
    if (this.peek() === "X") throw new Unsupported("expression template argument");
    return this.type();
  }

  templateParam(): Type {
    this.expect("T");
    const index = this.seqId();
    const arg = this.templateArgs[index];
    if (arg === undefined) throw new Unsupported(`template parameter ${index} unknown`);
    return arg;
  }

  substitution(): Type {
    this.expect("S");
    const std = STD_SUBSTITUTIONS[this.peek()];
    if (std !== undefined) {
      this.at++;
      return plain(std.text, std.last);
    }
    const index = this.seqId();
    const sub = this.subs[index];
    if (sub === undefined) throw new Unsupported(`substitution ${index} unknown`);
    return sub;
  }

  type(): Type {
    const c = this.peek();
    const builtin = BUILTIN[c];
    if (builtin !== undefined) {
      this.at++;
      return plain(builtin);
    }
    if (c === "u") {
      this.at++;
      return this.candidate(plain(this.sourceName())); // vendor extended type
    }
    if (c === "D") {
      const next = this.peek(1);
      if (next === "p") {
        this.at += 2;
        return this.candidate(this.type()); // a pack expansion: as its pattern
      }
      const extended = BUILTIN_D[next];
      if (extended === undefined) throw new Unsupported(`type D${next}`);
      this.at += 2;
      return plain(extended);
    }
    if (c === "r" || c === "V" || c === "K") {
      let qualifiers = "";
      if (this.eat("r")) qualifiers += " restrict";
      if (this.eat("V")) qualifiers += " volatile";
      if (this.eat("K")) qualifiers = ` const${qualifiers}`;
      return this.candidate(qualify(this.type(), qualifiers));
    }
    if (c === "P") {
      this.at++;
      return this.candidate(wrap(this.type(), "*"));
    }
    if (c === "R") {
      this.at++;
      return this.candidate(reference(this.type(), "&"));
    }
    if (c === "O") {
      this.at++;
      return this.candidate(reference(this.type(), "&&"));
    }
    if (c === "M") {
      // Pointer to member: "int (A::*)() const" for a method, "int A::*" for data.
      this.at++;
      const owner = render(this.type());
      const member = this.type();
      return this.candidate(
        member.fn !== undefined ? wrap(member, `${owner}::*`) : plain(`${render(member)} ${owner}::*`),
      );
    }
    if (c === "F") {
      this.at++;
      this.eat("Y"); // extern "C"
      const returned = this.type();
      // A function returning a function pointer needs declarators nested inside out: not covered.
      if (returned.fn !== undefined || returned.array !== undefined)
        throw new Unsupported("returns a function");
      const ret = render(returned);
      const params = this.bareFunctionType();
      let suffix = "";
      if (this.eat("R")) suffix = " &";
      else if (this.eat("O")) suffix = " &&";
      this.expect("E");
      return this.candidate({
        text: `${ret} (${params})${suffix}`,
        fn: { ret, params, declarator: "", suffix },
      });
    }
    if (c === "A") {
      this.at++;
      const size = /\d/.test(this.peek()) ? String(this.number()) : "";
      this.expect("_");
      const element = this.type();
      const dims = `[${size}]`;
      if (element.array !== undefined && element.array.declarator === "") {
        const array = { ...element.array, dims: `${dims}${element.array.dims}` };
        return this.candidate({ text: render({ text: "", array }), array });
      }
      const array = { element: render(element), dims, declarator: "" };
      return this.candidate({ text: render({ text: "", array }), array });
    }
    if (c === "T") {
      const param = this.templateParam();
      this.subs.push(param);
      if (this.peek() !== "I") return param;
      const args = this.templateArgsList();
      return this.candidate(plain(render(param) + args.text));
    }
    if (c === "S") {
      if (this.peek(1) === "t") return this.candidate(plain(this.name().text));
      const sub = this.substitution();
      if (this.peek() !== "I") return sub;
      const args = this.templateArgsList();
      return this.candidate(plain(render(sub) + args.text));
    }
    if (c === "N" || c === "Z" || /\d/.test(c)) return this.candidate(plain(this.name().text));
    throw new Unsupported(`type ${c} at ${this.at}`);
  }

  candidate(type: Type): Type {
    this.subs.push(type);
    return type;
  }
}

/** The readable form of an Itanium-mangled name, or undefined when it is not one this covers. */
export function demangle(mangled: string): string | undefined {
  if (!mangled.startsWith("_Z")) return undefined;
  const parser = new Parser(mangled);
  parser.at = 2;
  try {
    const text = parser.encoding();
    if (parser.at === mangled.length) return text;
    // GCC's clones of a function: foo.cold, foo.isra.0, foo.constprop.0.
    if (parser.peek() === ".") return `${text} [clone ${mangled.slice(parser.at)}]`;
    return undefined;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
