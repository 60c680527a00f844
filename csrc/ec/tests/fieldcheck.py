"""Reads fieldcheck.c output (a b a*b a^2 a+b a-b, hex) and checks it mod p."""
import sys
P={"sm2":0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF,"secp256k1":2**256-2**32-977,"p256":0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF}
p=P[sys.argv[1]]; bad=0; n=0
for line in sys.stdin:
    a,b,r,q,ad,sb=(int(x,16) for x in line.split()); n+=1
    if r!=a*b%p or q!=a*a%p or ad!=(a+b)%p or sb!=(a-b)%p: bad+=1
print(sys.argv[1], "checked", n, "bad", bad)
