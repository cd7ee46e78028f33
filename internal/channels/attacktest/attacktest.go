// Package attacktest is the attacker of the channel report's privacy
// tests: an exact solver over everything a reader holds. Figures printed
// by any number of reports are equations over unknown atoms (a channel's
// count over a stretch of days); Gauss-Jordan elimination finds every
// atom the figures pin down, and the value they give it, as a reader with
// unlimited patience would by adding and subtracting. The channels and cli
// tests share it.
//
// The elimination is exact: it runs in the integers modulo the prime
// 2^61−1 rather than in floating point. Every printed figure is a rational
// (a decimal), the equations' coefficients are 0 and 1, and two rationals
// with denominators below 2^30 are equal exactly when they are equal
// modulo the prime; an atom is pinned down exactly when its row is free of
// other atoms, which modular elimination decides like rational elimination
// unless a determinant is a multiple of the prime — a chance of about one
// in 2^61 / n per system. It is what lets a test solve systems of hundreds
// of atoms in milliseconds where big.Rat took seconds.
package attacktest

import (
	"math/big"
	"math/bits"
)

// prime is the modulus, the Mersenne prime 2^61−1.
const prime = 1<<61 - 1

// Value is an exact value modulo the prime.
type Value uint64

// Of returns r modulo the prime.
func Of(r *big.Rat) Value {
	p := new(big.Int).SetUint64(prime)
	num := new(big.Int).Mod(r.Num(), p).Uint64()
	den := new(big.Int).Mod(r.Denom(), p).Uint64()
	return Value(mul(num, inv(den)))
}

// OfFloat returns the decimal f (a printed figure) modulo the prime.
func OfFloat(f float64) Value { return Of(new(big.Rat).SetFloat64(f)) }

func mul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	_, r := bits.Div64(hi, lo, prime)
	return r
}

func add(a, b uint64) uint64 { return (a + b) % prime }

func sub(a, b uint64) uint64 { return (a + prime - b) % prime }

// inv is a⁻¹ by Fermat: a^(p−2).
func inv(a uint64) uint64 {
	r, e := uint64(1), uint64(prime-2)
	for e > 0 {
		if e&1 == 1 {
			r = mul(r, a)
		}
		a = mul(a, a)
		e >>= 1
	}
	return r
}

// Equation is one printed figure: the sum of its atoms equals Value.
// Minus lists atoms that count negatively: a relation among figures
// (visits less new visits less returning visits is zero) is an equation
// too.
type Equation struct {
	Atoms []int
	Minus []int
	Value Value
}

// Solve returns every atom (0..n-1) the equations pin down, with the
// value they give it. Equations that contradict each other (perturbed
// figures) are not an error: the elimination uses them as a reader who
// trusts the figures would, and the values it gives are what that reader
// would conclude.
func Solve(n int, eqs []Equation) map[int]Value {
	rows := make([][]uint64, 0, len(eqs))
	for _, e := range eqs {
		row := make([]uint64, n+1)
		for _, a := range e.Atoms {
			row[a] = add(row[a], 1)
		}
		for _, a := range e.Minus {
			row[a] = sub(row[a], 1)
		}
		row[n] = uint64(e.Value)
		rows = append(rows, row)
	}
	pivot := make([]int, n)
	r := 0
	for c := 0; c < n; c++ {
		pivot[c] = -1
		p := -1
		for i := r; i < len(rows); i++ {
			if rows[i][c] != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[r], rows[p] = rows[p], rows[r]
		if f := inv(rows[r][c]); f != 1 {
			for j := range rows[r] {
				if rows[r][j] != 0 {
					rows[r][j] = mul(rows[r][j], f)
				}
			}
		}
		for i := range rows {
			if i == r || rows[i][c] == 0 {
				continue
			}
			f := rows[i][c]
			for j, v := range rows[r] {
				if v != 0 {
					rows[i][j] = sub(rows[i][j], mul(f, v))
				}
			}
		}
		pivot[c] = r
		r++
	}
	out := map[int]Value{}
	for c, pr := range pivot {
		if pr < 0 {
			continue
		}
		alone := true
		for j := range n {
			if j != c && rows[pr][j] != 0 {
				alone = false
				break
			}
		}
		if alone {
			out[c] = Value(rows[pr][n])
		}
	}
	return out
}
