// A pass pipeline in the TensorFlow graph-transform spelling:
//   strip_unused_nodes(type=float, shape="1,224,224,3"),remove_nodes(op=Identity,op=CheckNumerics),fold_constants
// Passes are separated by commas (or blanks); a quoted value may hold commas.
grammar Pipeline;

pipeline : (pass (','? pass)*)? ','? EOF ;

pass : NAME ('(' (option (',' option)*)? ')')? ;

option : NAME '=' value ;

value : STRING | NAME | BARE ;

NAME : [a-zA-Z_] [a-zA-Z0-9_.\-]* ;

// A bare value: a number, a type name, a path; anything without separators or quotes.
BARE : ~[,()="' \t\r\n]+ ;

STRING : '"' ( '\\' . | ~["\\] )* '"'
       | '\'' ( '\\' . | ~['\\] )* '\''
       ;

WS : [ \t\r\n]+ -> skip ;
