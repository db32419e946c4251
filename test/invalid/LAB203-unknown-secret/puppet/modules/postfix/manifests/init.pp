class postfix (
  String $relayhost = 'smtp.example.com',
) {
  $cert = lab::secret('mail/tls-cert')
  $sasl = lab::secret('mail/sasl-password')
}
