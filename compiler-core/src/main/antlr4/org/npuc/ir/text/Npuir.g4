// The textual form of the npuc IR (.npuir files). docs/ir.md describes it in prose.
// The parse tree is turned into a Graph by org.npuc.ir.text.GraphReader; semantic checks
// (known ops, defined values, operand and result counts) happen there, not here.
grammar Npuir;

graphFile
    : graphHeader operation* RBRACE EOF
    ;

// Separate so that IrParser can parse a large file op by op without keeping the whole tree.
graphHeader
    : 'graph' graphName? attrDict? LBRACE
    ;

graphName
    : SYMBOL
    | '@' STRING
    ;

operation
    : (results '=')? opName '(' operands? ')' attrDict? ':' functionType location?
    ;

results
    : VALUE (',' VALUE)*
    ;

operands
    : VALUE (',' VALUE)*
    ;

opName
    : BARE_ID
    | STRING
    ;

attrDict
    : LBRACE (attr (',' attr)*)? RBRACE
    ;

attr
    : attrKey '=' attrValue
    ;

// Keywords are allowed as keys: a key is always followed by '='.
attrKey
    : BARE_ID
    | STRING
    | keyword
    ;

keyword
    : 'graph' | 'in' | 'true' | 'false' | 'tensor' | 'dense' | 'dense_elided' | 'uniform'
    | 'uniform_per_axis' | 'calibrated' | 'ints' | 'floats' | 'strings'
    ;

attrValue
    : INT                                                     # intAttr
    | FLOAT                                                   # floatAttr
    | ('true' | 'false')                                      # boolAttr
    | STRING                                                  # stringAttr
    | '[' (scalar (',' scalar)*)? ']' (':' arrayKind)?        # arrayAttr
    | denseLiteral (':' tensorType)?                          # tensorAttr
    | tensorType                                              # typeAttr
    ;

scalar
    : INT
    | FLOAT
    | STRING
    ;

arrayKind
    : 'ints'
    | 'floats'
    | 'strings'
    ;

denseLiteral
    : 'dense' '<' B64 '>'                                     # denseBase64
    | 'dense' '<' denseElems '>'                              # denseInline
    | 'dense_elided' '<' STRING '>'                           # denseElided
    ;

denseElems
    : '[' (denseElems (',' denseElems)*)? ']'
    | INT
    | FLOAT
    ;

tensorType
    : 'tensor' '<' SHAPE? elementType '>'
    ;

elementType
    : BARE_ID                                                           # scalarType
    | 'uniform' '<' storage ':' expressed=BARE_ID ',' scale=number ':' zeroPoint=INT '>'  # uniformType
    | 'uniform_per_axis' '<' storage ':' expressed=BARE_ID ',' axis=INT
          ',' '[' (scales+=number (',' scales+=number)*)? ']'
          ',' '[' (zeroPoints+=INT (',' zeroPoints+=INT)*)? ']' '>'    # perAxisType
    | 'calibrated' '<' expressed=BARE_ID ',' min=number ',' max=number '>'  # calibratedType
    ;

storage
    : type=BARE_ID ('<' lo=INT ':' hi=INT '>')?
    ;

number
    : INT
    | FLOAT
    ;

functionType
    : '(' (operandTypes+=tensorType (',' operandTypes+=tensorType)*)? ')' '->' resultTypes
    ;

resultTypes
    : tensorType
    | '(' (tensorType (',' tensorType)*)? ')'
    ;

location
    : 'loc' '(' locBody? ')'
    ;

locBody
    : names+=STRING (',' names+=STRING)* ('in' file=STRING)?
    | 'in' file=STRING
    ;

LBRACE
    : '{'
    ;

RBRACE
    : '}'
    ;

// The dimensions of a shape with their 'x' separators, e.g. "1x3x?x224x" in tensor<1x3x?x224xf32>.
SHAPE
    : DIM 'x' (DIM 'x')*
    ;

FLOAT
    : '-'? DIGITS '.' DIGITS? EXPONENT?
    | '-'? DIGITS EXPONENT
    | '-'? ('inf' | 'Infinity')
    | 'nan'
    | 'NaN'
    ;

INT
    : '-'? DIGITS
    ;

B64
    : 'b64"' [A-Za-z0-9+/=]* '"'
    ;

STRING
    : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"'
    ;

VALUE
    : '%' ID_CHAR+
    ;

SYMBOL
    : '@' ID_CHAR+
    ;

BARE_ID
    : [A-Za-z_] [A-Za-z0-9_.$]*
    ;

LINE_COMMENT
    : '//' ~[\r\n]* -> skip
    ;

WS
    : [ \t\r\n]+ -> skip
    ;

fragment DIM
    : DIGITS
    | '?'
    ;

fragment DIGITS
    : [0-9]+
    ;

fragment EXPONENT
    : [eE] [+-]? DIGITS
    ;

fragment ID_CHAR
    : [A-Za-z0-9_.$-]
    ;
