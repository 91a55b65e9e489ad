<?php
declare(strict_types=1);

namespace Mpe;

/** 1xx : argument, JSON, limite, non pris en charge. */
class ErreurEntree extends ErreurMpe
{
}
