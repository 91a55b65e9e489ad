<?php
declare(strict_types=1);

namespace Mpe;

/** 5xx : signatures. */
class ErreurSignature extends ErreurMpe
{
}
