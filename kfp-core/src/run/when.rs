//! `when` conditions: the part of Argo's expression language (govaluate) that
//! kfp writes, evaluated after substitution: string and number literals,
//! `true`/`false`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`, `!` and
//! parentheses. `"{{tasks.flip.outputs.parameters.flip-output}}" == "heads"`
//! becomes `"heads" == "heads"`, which is true.

/// A value in a condition.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Value(Value),
    Op(&'static str),
    Open,
    Close,
}

const OPERATORS: &[&str] = &["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!"];

/// Evaluates a substituted `when` expression; `Err` says what is wrong with it.
pub(crate) fn evaluate(expression: &str) -> Result<bool, String> {
    let tokens = tokenize(expression)?;
    let mut parser = Parser { tokens: &tokens, at: 0 };
    let value = parser.or()?;
    if parser.at != tokens.len() {
        return Err(format!("unexpected {} after a complete condition", describe(&tokens[parser.at])));
    }
    match value {
        Value::Bool(value) => Ok(value),
        other => Err(format!("the condition is the value {other:?}, not true or false: compare it with `==`")),
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Value(value) => format!("value {value:?}"),
        Token::Op(op) => format!("`{op}`"),
        Token::Open => "`(`".to_owned(),
        Token::Close => "`)`".to_owned(),
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let operand_expected = !matches!(tokens.last(), Some(Token::Value(_) | Token::Close));
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            tokens.push(Token::Open);
            i += 1;
        } else if c == ')' {
            tokens.push(Token::Close);
            i += 1;
        } else if c == '"' || c == '\'' {
            let mut text = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(format!("a string starting with {c} is not closed")),
                    Some('\\') if chars.get(i + 1).is_some() => {
                        text.push(chars[i + 1]);
                        i += 2;
                    }
                    Some(&end) if end == c => {
                        i += 1;
                        break;
                    }
                    Some(&other) => {
                        text.push(other);
                        i += 1;
                    }
                }
            }
            tokens.push(Token::Value(Value::Text(text)));
        } else if c.is_ascii_digit()
            || c == '.'
            || (c == '-' && operand_expected && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit() || *n == '.'))
        {
            let start = i;
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '.'
                    || (matches!(chars[i], '+' | '-') && matches!(chars[i - 1], 'e' | 'E')))
            {
                i += 1;
            }
            let literal: String = chars[start..i].iter().collect();
            let number = literal.parse::<f64>().map_err(|_| format!("`{literal}` is not a number"))?;
            tokens.push(Token::Value(Value::Number(number)));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '-' | '.')) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match word.as_str() {
                "true" => tokens.push(Token::Value(Value::Bool(true))),
                "false" => tokens.push(Token::Value(Value::Bool(false))),
                _ => {
                    return Err(format!(
                        "`{word}` is neither a quoted string nor a number (Argo reads it as an unknown variable): quote it, \"{word}\""
                    ))
                }
            }
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let op = OPERATORS.iter().find(|op| rest.starts_with(**op)).ok_or_else(|| {
                format!("`{c}` is not an operator of conditions (==, !=, <, <=, >, >=, &&, ||, !, parentheses)")
            })?;
            tokens.push(Token::Op(op));
            i += op.len();
        }
    }
    Ok(tokens)
}

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
}

impl Parser<'_> {
    fn peek_op(&self, ops: &[&str]) -> Option<&'static str> {
        match self.tokens.get(self.at) {
            Some(Token::Op(op)) if ops.contains(op) => Some(op),
            _ => None,
        }
    }

    fn or(&mut self) -> Result<Value, String> {
        let mut left = self.and()?;
        while self.peek_op(&["||"]).is_some() {
            self.at += 1;
            let right = self.and()?;
            left = Value::Bool(truth(&left, "||")? || truth(&right, "||")?);
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Value, String> {
        let mut left = self.comparison()?;
        while self.peek_op(&["&&"]).is_some() {
            self.at += 1;
            let right = self.comparison()?;
            left = Value::Bool(truth(&left, "&&")? && truth(&right, "&&")?);
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Value, String> {
        let left = self.unary()?;
        let Some(op) = self.peek_op(&["==", "!=", "<", "<=", ">", ">="]) else { return Ok(left) };
        self.at += 1;
        let right = self.unary()?;
        compare(&left, op, &right).map(Value::Bool)
    }

    fn unary(&mut self) -> Result<Value, String> {
        match self.tokens.get(self.at) {
            Some(Token::Op("!")) => {
                self.at += 1;
                let value = self.unary()?;
                Ok(Value::Bool(!truth(&value, "!")?))
            }
            Some(Token::Open) => {
                self.at += 1;
                let value = self.or()?;
                match self.tokens.get(self.at) {
                    Some(Token::Close) => {
                        self.at += 1;
                        Ok(value)
                    }
                    _ => Err("a `(` is not closed".to_owned()),
                }
            }
            Some(Token::Value(value)) => {
                self.at += 1;
                Ok(value.clone())
            }
            Some(other) => Err(format!("expected a value, found {}", describe(other))),
            None => Err("the condition ends where a value is expected".to_owned()),
        }
    }
}

fn truth(value: &Value, op: &str) -> Result<bool, String> {
    match value {
        Value::Bool(value) => Ok(*value),
        other => Err(format!("`{op}` needs true or false, not {other:?}")),
    }
}

fn compare(left: &Value, op: &str, right: &Value) -> Result<bool, String> {
    use std::cmp::Ordering;
    let ordering = match (left, right) {
        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
        (Value::Text(a), Value::Text(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) if matches!(op, "==" | "!=") => Some(a.cmp(b)),
        // Values of different types are never equal (govaluate compares them as Go values).
        _ if matches!(op, "==" | "!=") => None,
        _ => return Err(format!("cannot order {left:?} and {right:?} with `{op}`: compare numbers or strings")),
    };
    Ok(match op {
        "==" => ordering == Some(Ordering::Equal),
        "!=" => ordering != Some(Ordering::Equal),
        "<" => ordering == Some(Ordering::Less),
        "<=" => matches!(ordering, Some(Ordering::Less | Ordering::Equal)),
        ">" => ordering == Some(Ordering::Greater),
        _ => matches!(ordering, Some(Ordering::Greater | Ordering::Equal)),
    })
}

#[cfg(test)]
mod tests {
    use super::evaluate;

    #[test]
    fn kfp_string_conditions() {
        assert_eq!(evaluate(r#""heads" == "heads""#), Ok(true));
        assert_eq!(evaluate(r#""tails" == "heads""#), Ok(false));
        assert_eq!(evaluate(r#""tails" != "heads""#), Ok(true));
    }

    #[test]
    fn numbers_compare_numerically() {
        assert_eq!(evaluate("10 > 9"), Ok(true));
        assert_eq!(evaluate("-7 < 0"), Ok(true));
        assert_eq!(evaluate("2.5 >= 2.50"), Ok(true));
        assert_eq!(evaluate("1e3 == 1000"), Ok(true));
    }

    #[test]
    fn logic_and_parentheses() {
        assert_eq!(evaluate(r#"("a" == "a" && 1 < 2) || false"#), Ok(true));
        assert_eq!(evaluate(r#"!("a" == "a")"#), Ok(false));
        assert_eq!(evaluate("true && !false"), Ok(true));
    }

    #[test]
    fn mixed_types_are_unequal() {
        assert_eq!(evaluate(r#""1" == 1"#), Ok(false));
        assert!(evaluate(r#""a" < 1"#).is_err());
    }

    #[test]
    fn malformed_conditions_are_errors() {
        assert!(evaluate("heads == heads").unwrap_err().contains("quote it"));
        assert!(evaluate(r#""a" =="#).is_err());
        assert!(evaluate(r#"("a" == "a""#).is_err());
        assert!(evaluate(r#""a""#).is_err());
        assert!(evaluate(r#""a" ~ "b""#).is_err());
        assert!(evaluate(r#""unclosed"#).is_err());
    }
}
