/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Redis recognition (RESP2/RESP3, "Redis serialization protocol
 * specification"). Clients send every command as an array of bulk strings:
 *
 *   *<count>\r\n $<len>\r\n <command>\r\n $<len>\r\n <arg>\r\n ...
 *   e.g. "*1\r\n$4\r\nPING\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
 *
 * which is distinctive: '*', 1-3 digits, CRLF, '$', a digit. Replies start
 * with a type byte and end their first line with CRLF:
 *
 *   '+' simple string  '-' error  ':' integer  '$' bulk  '*' array
 *   RESP3: '%' map  '~' set  '>' push  '|' attribute  '_' null  ',' double
 *          '#' boolean  '(' big number  '!' bulk error  '=' verbatim
 *
 * A reply alone is weak evidence ("+OK\r\n" is also POP3's greeting): the
 * caller only tries it on a response, and only the forms checked below,
 * a type byte followed by a well-formed line, count.
 */
#ifndef PERISCOPE_PROTOCOLS_REDIS_H
#define PERISCOPE_PROTOCOLS_REDIS_H

#include "wire.h"

/* "*<1-3 digits>\r\n$<digit>": a command array (inline commands are not recognised). */
static __always_inline int redis_looks_like_request(const unsigned char *buf, unsigned int len)
{
	if (len < 6 || buf[0] != '*' || !wire_is_digit(buf[1]))
		return 0;
	if (buf[2] == '\r')
		return buf[3] == '\n' && buf[4] == '$' && wire_is_digit(buf[5]);
	if (len < 7 || !wire_is_digit(buf[2]))
		return 0;
	if (buf[3] == '\r')
		return buf[4] == '\n' && buf[5] == '$' && wire_is_digit(buf[6]);
	return len >= 8 && wire_is_digit(buf[3]) && buf[4] == '\r' && buf[5] == '\n' && buf[6] == '$' &&
	       wire_is_digit(buf[7]);
}

/* True when buf[1..] is digits (an optional leading '-') up to CRLF within the peek. */
static __always_inline int redis_number_line(const unsigned char *buf, unsigned int len)
{
	int digits = 0;

	/* Constant loop bounds and indices: a variable start offset made clang emit pointer arithmetic the verifier refuses. */
	for (unsigned int i = 1; i < 22; i++) {
		if (i + 1 >= len)
			return 0;
		if (buf[i] == '\r')
			return digits > 0 && buf[i + 1] == '\n';
		if (wire_is_digit(buf[i]))
			digits++;
		else if (i != 1 || buf[i] != '-')
			return 0;
	}
	return 0;
}

/* A short printable line up to CRLF within the peek ("+OK\r\n", "-ERR unknown command"...). */
static __always_inline int redis_text_line(const unsigned char *buf, unsigned int len)
{
	for (unsigned int i = 1; i < 31; i++) {
		if (i + 1 >= len)
			return 0;
		if (buf[i] == '\r')
			return i > 1 && buf[i + 1] == '\n';
		if (buf[i] < ' ' || buf[i] >= 0x7f)
			return 0;
	}
	return 0;
}

static __always_inline int redis_looks_like_reply(const unsigned char *buf, unsigned int len)
{
	if (len < 3)
		return 0;
	switch (buf[0]) {
	case ':':
	case '$':
	case '*':
	case '%':
	case '~':
	case '>':
	case '|':
	case '(':
	case '!':
	case '=':
		return redis_number_line(buf, len);
	case '+':
	case '-':
		return redis_text_line(buf, len);
	case '_':
		return buf[1] == '\r' && buf[2] == '\n';
	case '#':
		return len >= 4 && (buf[1] == 't' || buf[1] == 'f') && buf[2] == '\r' && buf[3] == '\n';
	}
	return 0;
}

#endif /* PERISCOPE_PROTOCOLS_REDIS_H */
